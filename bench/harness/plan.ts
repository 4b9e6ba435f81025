import { join } from 'node:path';
import { ORDERING_MODES } from '../../src/config';
import { CHAOS_LEDGER_MODES, CHAOS_RECORDS, DEFAULT_CHAOS_SEED } from '../../test/helpers/chaos-scenario';
import { UNLIMITED_RETRIES } from '../../test/helpers/event-source-simulation';
import type { LoadControlSetup, Profiles, RawMeasurements } from '../report/results';
import { TARGET_LATENCY_MS } from '../report/targets';
import { tracingEnv } from '../variants/tracing';
import {
  COMPARED_VARIANTS,
  SETTING_VARIANTS,
  VARIANT_LABELS,
  VARIANT_SETUPS,
  type VariantName,
} from '../variants/variant';
import type { WorkerScripts } from './bundle';
import { runWorker } from './child-process';
import type { LedgerCase, LedgerJob, VariantJob } from './jobs';
import { type LoadSettings, measureLoad, measureVariant, type ReceiverProcess, readProfile } from './measure';
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
  /** One receiver per latency of the options. */
  readonly receivers: readonly ReceiverProcess[];
  /** The load-control rows' receivers: {@link LOAD_CONTROL}'s latency, with its capacity and without. */
  readonly loadControlReceivers: { readonly capacity: ReceiverProcess; readonly unlimited: ReceiverProcess };
  readonly bundlePath: string;
  readonly peerBundlePath: string;
  readonly emptyHandlerPath: string;
  /** Batches of the throughput runs, one warm-up batch first, enough for the warm measurement. */
  readonly eventsFile: string;
  /** Batches of the load-control runs, one warm-up batch first. */
  readonly loadControlEventsFile: string;
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
    deployedLoad: { emptyMs: number[]; functionMs: number[]; peerMs: number[] };
    loadControl: Array<RawMeasurements['loadControl'][number]>;
    ledger: LedgerCase[];
  };
  profiles: Profiles | undefined;
}

/** Unmeasured batches each run starts with: connections opened, code compiled. */
export const WARMUP_BATCHES = 1;
/** Batches a process has handled before its warm measurement: the JIT has compiled the hot paths by then. */
export const WARM_AFTER_BATCHES = 20;
const MEMORY_RUNS = 3;
const LOAD_CONTROL_RUNS = 3;
// One-at-a-time's rate is one record per round trip from the first batch on; above this much time per run its
// batch count is capped so a run at 20 ms does not take half a minute.
export const SERIAL_RUN_BUDGET_MS = 6000;

/**
 * Issue 11's setting for adaptive concurrency: a receiver that serves `capacity` requests at once, answering 503
 * beyond, after `latencyMs`; FORWARD_CONCURRENCY `ceiling`; no ordering, so concurrency is not capped by keys.
 */
export const LOAD_CONTROL = { latencyMs: 20, capacity: 8, ceiling: 64, ordering: 'none' } as const;

/** The load-control rows: adaptive and static against the limited receiver, and both against one without limit. */
export const LOAD_CONTROL_SETUPS: readonly LoadControlSetup[] = [
  { receiver: 'capacity', mode: 'adaptive', concurrency: LOAD_CONTROL.ceiling },
  { receiver: 'capacity', mode: 'static', concurrency: LOAD_CONTROL.capacity },
  { receiver: 'capacity', mode: 'static', concurrency: LOAD_CONTROL.ceiling },
  { receiver: 'unlimited', mode: 'adaptive', concurrency: LOAD_CONTROL.ceiling },
  { receiver: 'unlimited', mode: 'static', concurrency: LOAD_CONTROL.ceiling },
];

/**
 * Measured batches of a load-control run: several seconds of it, several invocations, so the limit the container
 * keeps across invocations counts. Static concurrency far over the capacity spends most of its time retrying, so
 * it gets fewer; without a limit the runs are fast, so they get more.
 */
export const loadControlBatches = (setup: LoadControlSetup, batches: number): number => {
  if (setup.receiver === 'unlimited') return 3 * batches;
  if (setup.mode === 'static' && setup.concurrency > LOAD_CONTROL.capacity) {
    return Math.max(2, Math.round(batches / 3));
  }
  return 2 * batches;
};

/** The function's settings of a load-control setup. */
export const loadControlSettings = (setup: LoadControlSetup): Record<string, string> => ({
  FORWARD_ORDERING: LOAD_CONTROL.ordering,
  FORWARD_CONCURRENCY: String(setup.concurrency),
  FORWARD_ADAPTIVE_CONCURRENCY: String(setup.mode === 'adaptive'),
});

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

/** Batches the throughput runs' events file needs: the warm-up, the measured ones, and the warm measurement. */
export const eventsFileBatches = (batches: number): number =>
  Math.max(WARMUP_BATCHES + batches, WARM_AFTER_BATCHES) + batches;

/**
 * The deployed settings a cold start is measured with: NODE_OPTIONS=--enable-source-maps as template.yaml sets
 * it, and tracing on as `Tracing: Active` turns it on in Lambda (no segment is sent while loading).
 */
export const deployedLoadSettings = (bundlePath: string): LoadSettings => ({
  nodeFlags: ['--enable-source-maps'],
  env: tracingEnv(bundlePath, '127.0.0.1:2000'),
});

// Rotates the variant order run by run, so no variant always goes first after a pause.
const rotated = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, index) => items[(index + by) % items.length] as T);

const setupLabel = (setup: LoadControlSetup): string =>
  `${setup.mode} ${setup.mode === 'adaptive' ? `(ceiling ${setup.concurrency})` : setup.concurrency}, ` +
  (setup.receiver === 'capacity'
    ? `receiver serving ${LOAD_CONTROL.capacity} at once`
    : 'receiver without limit');

/**
 * Lays out the whole benchmark as steps: the ledger under faults, throughput runs alternating latency and variant
 * run by run (this function with other settings beside the others at the targets' latency), memory runs with the
 * maximum-size batch, the load-control runs, cold-start loads taking turns between the empty handler and the
 * bundles, then the profiles.
 */
export const planSteps = (context: PlanContext): { steps: Step[]; collected: Collected } => {
  const { options, scripts, receivers } = context;
  const collected: Collected = {
    raw: {
      throughput: [],
      memory: [],
      load: { emptyMs: [], functionMs: [] },
      deployedLoad: { emptyMs: [], functionMs: [], peerMs: [] },
      loadControl: [],
      ledger: [],
    },
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
    bundlePath: VARIANT_SETUPS[variant].code === 'peer' ? context.peerBundlePath : context.bundlePath,
    concurrency: context.concurrency,
    eventsFile: context.eventsFile,
    warmupEvents: WARMUP_BATCHES,
    measuredEvents: measuredBatches(variant, latencyMs, options.batches, context.recordsPerBatch),
    ...(VARIANT_SETUPS[variant].warm
      ? { warm: { afterEvents: WARM_AFTER_BATCHES, events: options.batches } }
      : {}),
    sampleMemory: false,
    profileFile: undefined,
  });
  const steps: Step[] = [];

  // First: its six processes side by side raise the load average, which has fallen again by the end of the run,
  // where the results judge how busy the machine was.
  const ledgerJobs = ORDERING_MODES.flatMap((ordering) =>
    CHAOS_LEDGER_MODES.map(
      (ledger): LedgerJob => ({
        bundlePath: context.bundlePath,
        ordering,
        ledger,
        seed: DEFAULT_CHAOS_SEED,
        records: options.quick ? Math.round(CHAOS_RECORDS[ordering] / 3) : CHAOS_RECORDS[ordering],
      }),
    ),
  );
  steps.push({
    label: `the ledger under injected faults: ${ledgerJobs.length} cases side by side (about a minute)`,
    run: async () => {
      const cases = await Promise.all(
        ledgerJobs.map(async (ledgerJob) => {
          const { type: _, ...result } = await runWorker(scripts.ledger, [JSON.stringify(ledgerJob)], {
            timeoutMs: 600_000,
          });
          return result as unknown as LedgerCase;
        }),
      );
      collected.raw.ledger.push(...cases);
    },
  });

  for (let run = 0; run < options.runs; run += 1) {
    for (const latencyMs of options.latenciesMs) {
      const variants =
        latencyMs === fixed.latencyMs ? [...COMPARED_VARIANTS, ...SETTING_VARIANTS] : COMPARED_VARIANTS;
      for (const variant of rotated(variants, run)) {
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
    for (const variant of rotated(COMPARED_VARIANTS, run)) {
      steps.push({
        label: `memory run ${run + 1}, one 6 MB batch: ${VARIANT_LABELS[variant]}`,
        run: async () => {
          const { warm: _, ...memoryJob } = job(variant, fixed.latencyMs);
          const measurement = await measureVariant(scripts, fixed, {
            ...memoryJob,
            eventsFile: context.maxBatchFile,
            measuredEvents: 1,
            sampleMemory: true,
          });
          collected.raw.memory.push({ latencyMs: fixed.latencyMs, variant, measurement });
        },
      });
    }
  }

  const loadControlRuns = Math.min(LOAD_CONTROL_RUNS, options.runs);
  for (let run = 0; run < loadControlRuns; run += 1) {
    for (const setup of rotated(LOAD_CONTROL_SETUPS, run)) {
      steps.push({
        label: `load control run ${run + 1}/${loadControlRuns}: ${setupLabel(setup)}`,
        run: async () => {
          const receiver = context.loadControlReceivers[setup.receiver];
          const measured = await measureVariant(
            scripts,
            receiver,
            {
              ...job('this-function', receiver.latencyMs),
              warm: undefined,
              eventsFile: context.loadControlEventsFile,
              measuredEvents: loadControlBatches(setup, options.batches),
              retry: UNLIMITED_RETRIES,
            },
            loadControlSettings(setup),
          );
          const { records, wallMs, cpuUs, invocations, receiver: view } = measured;
          collected.raw.loadControl.push({
            ...setup,
            run: { records, wallMs, cpuUs, invocations, receiver: view },
          });
        },
      });
    }
  }

  const deployed = (path: string) => deployedLoadSettings(path);
  for (let sample = 0; sample < options.loadSamples; sample += 1) {
    const loads = [
      { what: 'empty handler', path: context.emptyHandlerPath, into: collected.raw.load.emptyMs },
      { what: 'dist/handler.js', path: context.bundlePath, into: collected.raw.load.functionMs },
      {
        what: 'empty handler, deployed settings',
        path: context.emptyHandlerPath,
        settings: deployed(context.emptyHandlerPath),
        into: collected.raw.deployedLoad.emptyMs,
      },
      {
        what: 'dist/handler.js, deployed settings',
        path: context.bundlePath,
        settings: deployed(context.bundlePath),
        into: collected.raw.deployedLoad.functionMs,
      },
      {
        what: 'peer, deployed settings',
        path: context.peerBundlePath,
        settings: deployed(context.peerBundlePath),
        into: collected.raw.deployedLoad.peerMs,
      },
    ];
    for (const load of rotated(loads, sample)) {
      steps.push({
        label: `load time ${sample + 1}/${options.loadSamples}: ${load.what}`,
        run: async () => {
          const { requireMs } = await measureLoad(scripts, load.path, undefined, load.settings);
          load.into.push(requireMs);
        },
      });
    }
  }

  if (options.profile) {
    const file = (name: string) => join(context.tmpDir, `${name}.cpuprofile`);
    const profileVariant = (variant: VariantName): Step => ({
      label: `CPU profile at ${fixed.latencyMs} ms: ${VARIANT_LABELS[variant]}`,
      run: async () => {
        const { warm: _, ...profileJob } = job(variant, fixed.latencyMs);
        await measureVariant(scripts, fixed, { ...profileJob, profileFile: file(variant) });
      },
    });
    steps.push(profileVariant('this-function'), profileVariant('floor'), {
      label: 'CPU profile of loading dist/handler.js with the deployed settings',
      run: async () => {
        await measureLoad(scripts, context.bundlePath, file('load'), deployed(context.bundlePath));
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
