import { readFileSync } from 'node:fs';
import { tracingEnv } from '../variants/tracing';
import { VARIANT_SETUPS } from '../variants/variant';
import type { WorkerScripts } from './bundle';
import { runWorker, Worker } from './child-process';
import { type Attribution, attributeProfile, type CpuProfile, sourceMapsNextToFiles } from './cpu-profile';
import type { LoadMeasurement, VariantJob, VariantMeasurement, VariantRun } from './jobs';
import type { ReceiverTally } from './latency-receiver';
import type { Share } from './package-of';

// Generous: other work may share the machine; a run that hangs still fails instead of blocking forever.
const RUN_TIMEOUT_MS = 180_000;
const RECEIVER_LIFETIME_MS = 3 * 60 * 60 * 1000;

/** What the receiver process saw: its tally and the X-Ray segments sent to its daemon stand-in. */
export interface ReceiverProcessTally extends ReceiverTally {
  readonly segments: number;
}

/** A receiver process answering after a fixed latency, serving a limited number of requests at once or any. */
export interface ReceiverProcess {
  readonly latencyMs: number;
  readonly capacity: number | undefined;
  readonly url: string;
  /** `127.0.0.1:port` of its X-Ray daemon stand-in. */
  readonly daemonAddress: string;
  take(): Promise<ReceiverProcessTally>;
  stop(): Promise<void>;
}

/** Starts the loopback receiver for one latency (and optionally a capacity) in its own process. */
export const startReceiverProcess = async (
  scripts: WorkerScripts,
  latencyMs: number,
  capacity?: number,
): Promise<ReceiverProcess> => {
  const args = [String(latencyMs), ...(capacity === undefined ? [] : [String(capacity)])];
  const worker = new Worker(scripts.receiver, args, { timeoutMs: RECEIVER_LIFETIME_MS });
  const ready = await worker.next('ready');
  return {
    latencyMs,
    capacity,
    url: String(ready.url),
    daemonAddress: String(ready.daemonAddress),
    async take() {
      worker.send({ type: 'take' });
      const { type: _, ...tally } = await worker.next('tally');
      return tally as unknown as ReceiverProcessTally;
    },
    stop: () => worker.stop(),
  };
};

/** The environment a variant's process starts with: the function's (or the peer's) settings, as on Lambda. */
export const variantEnv = (
  job: Pick<VariantJob, 'variant' | 'bundlePath'>,
  receiver: Pick<ReceiverProcess, 'url' | 'daemonAddress'>,
  settings: Readonly<Record<string, string>> = {},
): Record<string, string> => {
  const setup = VARIANT_SETUPS[job.variant];
  switch (setup.code) {
    case 'function':
      return {
        FORWARD_URL: receiver.url,
        ...setup.env,
        ...(setup.tracing ? tracingEnv(job.bundlePath, receiver.daemonAddress) : {}),
        ...settings,
      };
    case 'peer':
      return { RECEIVER_URL: receiver.url };
    case 'floor':
    case 'one-at-a-time':
      return {};
  }
};

/**
 * Runs one variant in a fresh process (the function with `settings` on top of the variant's) and checks the run
 * against what the receiver saw: every record delivered (exactly once, unless failed records were sent again), in
 * order per key where the variant promises it, and traced segments sent exactly when the trace is sampled. What the
 * receiver saw after the warm-up comes back with the measurement.
 */
export const measureVariant = async (
  scripts: WorkerScripts,
  receiver: ReceiverProcess,
  job: Omit<VariantJob, 'url'>,
  settings: Readonly<Record<string, string>> = {},
): Promise<VariantRun> => {
  await receiver.take();
  const fullJob: VariantJob = { ...job, url: receiver.url };
  // The function reads its configuration from the environment at cold start, as on Lambda.
  const worker = new Worker(scripts.variant, [JSON.stringify(fullJob)], {
    env: variantEnv(job, receiver, settings),
    timeoutMs: RUN_TIMEOUT_MS,
  });
  await worker.next('warmed');
  const warmup = await receiver.take();
  worker.send({ type: 'measure' });
  const { type: _, ...result } = await worker.next('result');
  const code = await worker.exited;
  if (code !== 0) throw new Error(`${scripts.variant} exited with code ${code} after its result`);
  const measurement = result as unknown as VariantMeasurement;
  const tally = await receiver.take();
  const what = `${job.variant} at ${receiver.latencyMs} ms`;
  const measured = measurement.records + (measurement.warm?.records ?? 0);
  const delivered = measurement.delivered + (measurement.warm?.delivered ?? 0);
  if (delivered !== measured) throw new Error(`${what}: delivered ${delivered} of ${measured} records`);
  const setup = VARIANT_SETUPS[job.variant];
  const sent = measurement.warmupRecords + measurement.unmeasuredRecords + measured;
  const ordered = setup.ordered && settings.FORWARD_ORDERING !== 'none';
  const sum = (field: keyof ReceiverProcessTally) => warmup[field] + tally[field];
  const distinct = sum('records') - sum('duplicates');
  const exact = job.retry === undefined ? sum('duplicates') === 0 && sum('refused') === 0 : true;
  if (distinct !== sent || !exact || (ordered && sum('outOfOrder') > 0) || sum('malformed') > 0) {
    throw new Error(
      `${what}: the receiver accepted ${distinct} distinct records (${sum('duplicates')} more than once, ` +
        `${sum('refused')} requests refused, ${sum('outOfOrder')} out of order per key, ${sum('malformed')} ` +
        `malformed) for ${sent} records sent`,
    );
  }
  // UDP may drop a datagram under load, so a sampled run is only required to have sent some.
  const sampled = setup.tracing === 'sampled';
  if (sampled ? tally.segments === 0 : sum('segments') > 0) {
    throw new Error(
      `${what}: ${sum('segments')} X-Ray segments for ${sent} records sent, with ` +
        (sampled ? 'every trace sampled' : 'no trace sampled'),
    );
  }
  return {
    ...measurement,
    receiver: {
      requests: tally.requests,
      refused: tally.refused,
      duplicates: tally.duplicates,
      segments: tally.segments,
    },
  };
};

/** How a bundle is loaded: the Node flags and environment of the fresh process. */
export interface LoadSettings {
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** Times `require()` of a bundle in a fresh process, optionally writing a CPU profile of it. */
export const measureLoad = async (
  scripts: WorkerScripts,
  bundlePath: string,
  profileFile?: string,
  settings: LoadSettings = {},
): Promise<LoadMeasurement> => {
  const args = profileFile === undefined ? [bundlePath] : [bundlePath, profileFile];
  const { type: _, ...result } = await runWorker(scripts.loadProbe, args, {
    // The function validates its configuration while loading; no request is sent.
    env: {
      FORWARD_URL: 'http://127.0.0.1:9/events',
      RECEIVER_URL: 'http://127.0.0.1:9/events',
      ...settings.env,
    },
    nodeFlags: settings.nodeFlags,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  return result as unknown as LoadMeasurement;
};

/** Attributes the CPU time of a profile file written by a worker by package. */
export const readProfile = (file: string, attribution: Attribution): Share[] => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return attributeProfile(profile, sourceMapsNextToFiles(), attribution);
};
