import { join } from 'node:path';
import type { Profiles, RawMeasurements } from '../report/results';
import { TARGET_LATENCY_MS } from '../report/targets';
import { VARIANT_LABELS, VARIANT_NAMES, type VariantName } from '../variants/variant';
import type { WorkerScripts } from './bundle';
import type { VariantJob } from './jobs';
import { measureLoad, measureVariant, type ReceiverProcess, readProfile } from './measure';
import type { BenchOptions } from './options';

/** One thing the benchmark does, shown in the progress display while it runs. */
export interface Step {
  readonly label: string;
  readonly run: () => Promise<void>;
}

/** What the steps need: the built workers and bundles, the receivers and the workload files. */
export interface PlanContext {
  readonly options: BenchOptions;
  readonly scripts: WorkerScripts;
  readonly receivers: readonly ReceiverProcess[];
  readonly bundlePath: string;
  readonly emptyHandlerPath: string;
  /** Batches of the throughput runs, one warm-up batch first. */
  readonly eventsFile: string;
  /** A warm-up batch, then one maximum-size batch. */
  readonly maxBatchFile: string;
  readonly tmpDir: string;
  readonly concurrency: number;
  readonly recordsPerBatch: number;
}

/** Where the steps put what they measured. */
export interface Collected {
  readonly raw: {
    throughput: Array<RawMeasurements['throughput'][number]>;
    memory: Array<RawMeasurements['memory'][number]>;
    load: { emptyMs: number[]; functionMs: number[] };
  };
  profiles: Profiles | undefined;
}

/** Unmeasured batches each run starts with: connections opened, code compiled. */
export const WARMUP_BATCHES = 1;
const MEMORY_RUNS = 3;
// One-at-a-time's rate is one record per round trip from the first batch on; above this much time per run its
// batch count is capped so a run at 20 ms does not take half a minute.
export const SERIAL_RUN_BUDGET_MS = 6000;

/** Measured batches per run: all of them, except for one-at-a-time where they would take too long. */
export const measuredBatches = (
  variant: VariantName,
  latencyMs: number,
  batches: number,
  recordsPerBatch: number,
): number => {
  if (variant !== 'one-at-a-time') return batches;
  const perBatchMs = recordsPerBatch * Math.max(1, latencyMs);
  return Math.max(1, Math.min(batches, Math.floor(SERIAL_RUN_BUDGET_MS / perBatchMs)));
};

// Rotates the variant order run by run, so no variant always goes first after a pause.
const rotated = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, index) => items[(index + by) % items.length] as T);

/**
 * Lays out the whole benchmark as steps: throughput runs alternating latency and variant run by run, memory runs
 * with the maximum-size batch, cold-start loads alternating the empty handler and the function, then the profiles.
 */
export const planSteps = (context: PlanContext): { steps: Step[]; collected: Collected } => {
  const { options, scripts, receivers } = context;
  const collected: Collected = {
    raw: { throughput: [], memory: [], load: { emptyMs: [], functionMs: [] } },
    profiles: undefined,
  };
  const receiverFor = (latencyMs: number): ReceiverProcess => {
    const receiver = receivers.find((r) => r.latencyMs === latencyMs);
    if (!receiver) throw new Error(`no receiver for ${latencyMs} ms`);
    return receiver;
  };
  const fixed = receiverFor(
    options.latenciesMs.includes(TARGET_LATENCY_MS) ? TARGET_LATENCY_MS : (options.latenciesMs[0] ?? 0),
  );
  const job = (variant: VariantName, latencyMs: number): Omit<VariantJob, 'url'> => ({
    variant,
    bundlePath: context.bundlePath,
    concurrency: context.concurrency,
    eventsFile: context.eventsFile,
    warmupEvents: WARMUP_BATCHES,
    measuredEvents: measuredBatches(variant, latencyMs, options.batches, context.recordsPerBatch),
    sampleMemory: false,
    profileFile: undefined,
  });
  const steps: Step[] = [];

  for (let run = 0; run < options.runs; run += 1) {
    for (const latencyMs of options.latenciesMs) {
      for (const variant of rotated(VARIANT_NAMES, run)) {
        steps.push({
          label: `throughput run ${run + 1}/${options.runs}, ${latencyMs} ms latency: ${VARIANT_LABELS[variant]}`,
          run: async () => {
            const measurement = await measureVariant(
              scripts,
              receiverFor(latencyMs),
              job(variant, latencyMs),
            );
            collected.raw.throughput.push({ latencyMs, variant, measurement });
          },
        });
      }
    }
  }

  for (let run = 0; run < Math.min(MEMORY_RUNS, options.runs); run += 1) {
    for (const variant of rotated(VARIANT_NAMES, run)) {
      steps.push({
        label: `memory run ${run + 1}, one 6 MB batch: ${VARIANT_LABELS[variant]}`,
        run: async () => {
          const memoryJob = { ...job(variant, fixed.latencyMs), eventsFile: context.maxBatchFile };
          const measurement = await measureVariant(scripts, fixed, {
            ...memoryJob,
            measuredEvents: 1,
            sampleMemory: true,
          });
          collected.raw.memory.push({ latencyMs: fixed.latencyMs, variant, measurement });
        },
      });
    }
  }

  for (let sample = 0; sample < options.loadSamples; sample += 1) {
    const order = sample % 2 === 0 ? (['empty', 'function'] as const) : (['function', 'empty'] as const);
    for (const which of order) {
      const path = which === 'empty' ? context.emptyHandlerPath : context.bundlePath;
      steps.push({
        label: `load time ${sample + 1}/${options.loadSamples}: ${which === 'empty' ? 'empty handler' : 'dist/handler.js'}`,
        run: async () => {
          const { requireMs } = await measureLoad(scripts, path);
          (which === 'empty' ? collected.raw.load.emptyMs : collected.raw.load.functionMs).push(requireMs);
        },
      });
    }
  }

  if (options.profile) {
    const file = (name: string) => join(context.tmpDir, `${name}.cpuprofile`);
    const profileVariant = (variant: VariantName): Step => ({
      label: `CPU profile at ${fixed.latencyMs} ms: ${VARIANT_LABELS[variant]}`,
      run: async () => {
        await measureVariant(scripts, fixed, {
          ...job(variant, fixed.latencyMs),
          profileFile: file(variant),
        });
      },
    });
    steps.push(profileVariant('this-function'), profileVariant('floor'), {
      label: 'CPU profile of loading dist/handler.js',
      run: async () => {
        await measureLoad(scripts, context.bundlePath, file('load'));
        collected.profiles = {
          latencyMs: fixed.latencyMs,
          thisFunction: readProfile(file('this-function'), 'self'),
          floor: readProfile(file('floor'), 'self'),
          load: readProfile(file('load'), 'caller'),
        };
      },
    });
  }
  return { steps, collected };
};
