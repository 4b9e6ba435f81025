import { readFileSync } from 'node:fs';
import type { WorkerScripts } from './bundle';
import { runWorker, Worker } from './child-process';
import { type Attribution, attributeProfile, type CpuProfile, sourceMapsNextToFiles } from './cpu-profile';
import type { LoadMeasurement, VariantJob, VariantMeasurement } from './jobs';
import type { ReceiverTally } from './latency-receiver';
import type { Share } from './package-of';

// Generous: other work may share the machine; a run that hangs still fails instead of blocking forever.
const RUN_TIMEOUT_MS = 180_000;
const RECEIVER_LIFETIME_MS = 3 * 60 * 60 * 1000;

/** A receiver process answering after a fixed latency. */
export interface ReceiverProcess {
  readonly latencyMs: number;
  readonly url: string;
  take(): Promise<ReceiverTally>;
  stop(): Promise<void>;
}

/** Starts the loopback receiver for one latency in its own process. */
export const startReceiverProcess = async (
  scripts: WorkerScripts,
  latencyMs: number,
): Promise<ReceiverProcess> => {
  const worker = new Worker(scripts.receiver, [String(latencyMs)], { timeoutMs: RECEIVER_LIFETIME_MS });
  const ready = await worker.next('ready');
  return {
    latencyMs,
    url: String(ready.url),
    async take() {
      worker.send({ type: 'take' });
      const { type: _, ...tally } = await worker.next('tally');
      return tally as unknown as ReceiverTally;
    },
    stop: () => worker.stop(),
  };
};

/** Runs one variant in a fresh process and checks that every record arrived, in order per key. */
export const measureVariant = async (
  scripts: WorkerScripts,
  receiver: ReceiverProcess,
  job: Omit<VariantJob, 'url'>,
): Promise<VariantMeasurement> => {
  await receiver.take();
  const fullJob: VariantJob = { ...job, url: receiver.url };
  // The function reads its configuration from the environment at cold start, as on Lambda.
  const env = job.variant === 'this-function' ? { FORWARD_URL: receiver.url } : {};
  const { type: _, ...result } = await runWorker(scripts.variant, [JSON.stringify(fullJob)], {
    env,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const measurement = result as unknown as VariantMeasurement;
  const tally = await receiver.take();
  const what = `${job.variant} at ${receiver.latencyMs} ms`;
  if (measurement.delivered !== measurement.records) {
    throw new Error(`${what}: delivered ${measurement.delivered} of ${measurement.records} records`);
  }
  const sent = measurement.warmupRecords + measurement.records;
  if (tally.requests !== sent || tally.outOfOrder > 0 || tally.malformed > 0) {
    throw new Error(
      `${what}: the receiver saw ${tally.requests} requests (${tally.outOfOrder} out of order per key, ` +
        `${tally.malformed} malformed) for ${sent} records sent`,
    );
  }
  return measurement;
};

/** Times `require()` of a bundle in a fresh process, optionally writing a CPU profile of it. */
export const measureLoad = async (
  scripts: WorkerScripts,
  bundlePath: string,
  profileFile?: string,
): Promise<LoadMeasurement> => {
  const args = profileFile === undefined ? [bundlePath] : [bundlePath, profileFile];
  const { type: _, ...result } = await runWorker(scripts.loadProbe, args, {
    // The function validates its configuration while loading; no request is sent.
    env: { FORWARD_URL: 'http://127.0.0.1:9/events' },
    timeoutMs: RUN_TIMEOUT_MS,
  });
  return result as unknown as LoadMeasurement;
};

/** Attributes the CPU time of a profile file written by a worker by package. */
export const readProfile = (file: string, attribution: Attribution): Share[] => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return attributeProfile(profile, sourceMapsNextToFiles(), attribution);
};
