// Child process: one variant's run, so its CPU time and memory are its own. Argument: a VariantJob as JSON.
// Sends { type: 'warmed' } after the warm-up and waits for { type: 'measure' }; replies { type: 'result',
// ...VariantMeasurement }.
import { readFileSync } from 'node:fs';
import type { KinesisStreamEvent } from 'aws-lambda';
import type { RetryPolicy } from '../../../src/hosts/local/mapping/event-source-mapping';
import { runEventSourceMapping } from '../../../test/helpers/event-source-simulation';
import { createFloorClient } from '../../variants/floor-client';
import {
  type LambdaHandler,
  lambdaVariant,
  loadLambdaHandler,
  TIMEOUT_MS,
} from '../../variants/lambda-bundle';
import { createOneAtATime } from '../../variants/one-at-a-time';
import { traceHeader } from '../../variants/tracing';
import { VARIANT_SETUPS, type Variant } from '../../variants/variant';
import type { PhaseMeasurement, VariantJob, VariantMeasurement } from '../jobs';
import { startProfiling } from '../profiler';

const job = JSON.parse(process.argv[2] ?? '') as VariantJob;
const setup = VARIANT_SETUPS[job.variant];

const lines = readFileSync(job.eventsFile, 'utf8').split('\n').filter(Boolean);
const slice = (from: number, count: number) => lines.slice(from, from + count);
const warmup = slice(0, job.warmupEvents);
const measured = slice(job.warmupEvents, job.measuredEvents);
const measuredEnd = job.warmupEvents + measured.length;
const between = job.warm ? lines.slice(measuredEnd, Math.max(measuredEnd, job.warm.afterEvents)) : [];
const warmMeasured = job.warm ? slice(Math.max(measuredEnd, job.warm.afterEvents), job.warm.events) : [];
if (measured.length === 0) throw new Error(`${job.eventsFile} has no events after the warm-up`);
if (job.warm && warmMeasured.length === 0)
  throw new Error(`${job.eventsFile} has no events for the warm run`);
lines.length = 0;

const createVariant = (): Variant => {
  switch (setup.code) {
    case 'function':
    case 'peer':
      return lambdaVariant(loadLambdaHandler(job.bundlePath));
    case 'one-at-a-time':
      return createOneAtATime(job.url);
    case 'floor':
      return createFloorClient({ url: job.url, concurrency: job.concurrency });
  }
};

// Lambda's mapping, for a job that sends failed records again: the events' records as one shard, in batches of the
// events' size; the handler is invoked with the records from the lowest failed one on until every one is delivered.
const redeliver = (retry: RetryPolicy, handler: LambdaHandler) => async (texts: readonly string[]) => {
  const events = texts.map((text) => JSON.parse(text) as KinesisStreamEvent);
  const records = events.flatMap((event) => event.Records);
  const run = await runEventSourceMapping({
    shards: new Map([['shardId-000000000000', records]]),
    newInstance: () => handler,
    batchSize: Math.max(1, ...events.map((event) => event.Records.length)),
    timeoutMs: TIMEOUT_MS,
    policy: retry,
    maxInvocationsPerShard: 100_000,
    requestCount: () => 0,
  });
  return {
    records: records.length,
    delivered: records.length - run.discarded.length,
    invocations: run.invocations.length,
  };
};

// Sends events one invocation each, parsing each at its invocation as the Lambda runtime does.
const invokeEach = (variant: Variant) => async (texts: readonly string[]) => {
  let records = 0;
  let delivered = 0;
  for (const text of texts) {
    const event = JSON.parse(text) as KinesisStreamEvent;
    records += event.Records.length;
    // Lambda's runtime sets the trace header of each invocation before calling the handler.
    if (setup.tracing) process.env._X_AMZN_TRACE_ID = traceHeader(setup.tracing === 'sampled');
    delivered += await variant.invoke(event);
  }
  return { records, delivered, invocations: texts.length };
};

const send = job.retry
  ? redeliver(job.retry, loadLambdaHandler(job.bundlePath))
  : invokeEach(createVariant());

const sendUnmeasured = async (texts: readonly string[], what: string): Promise<number> => {
  const { records, delivered } = await send(texts);
  if (delivered !== records) throw new Error(`${what}: delivered ${delivered} of ${records} records`);
  return records;
};

const measure = async (texts: readonly string[]): Promise<PhaseMeasurement & { invocations: number }> => {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { records, delivered, invocations } = await send(texts);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { records, delivered, wallMs, cpuUs: cpu.user + cpu.system, invocations };
};

const warmupRecords = await sendUnmeasured(warmup, 'warm-up');
// The parent reads what the receiver saw of the warm-up before the measuring starts.
await new Promise<void>((resolve) => {
  const listener = (message: { type?: string }) => {
    if (message.type !== 'measure') return;
    process.off('message', listener);
    resolve();
  };
  process.on('message', listener);
  process.send?.({ type: 'warmed' });
});

const baseline = process.memoryUsage();
let peakHeapBytes = baseline.heapUsed;
const sampler = job.sampleMemory
  ? setInterval(() => {
      peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
    }, 1)
  : undefined;

const profiler = job.profileFile === undefined ? undefined : await startProfiling(job.profileFile);
const first = await measure(measured);
await profiler?.stop();
clearInterval(sampler);
peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);

let warm: PhaseMeasurement | undefined;
let unmeasuredRecords = 0;
if (job.warm) {
  unmeasuredRecords = await sendUnmeasured(between, 'batches before the warm run');
  const { invocations: _, ...phase } = await measure(warmMeasured);
  warm = phase;
}

const result: VariantMeasurement = {
  ...first,
  warmupRecords,
  unmeasuredRecords,
  ...(warm ? { warm } : {}),
  baselineRssBytes: baseline.rss,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  baselineHeapBytes: baseline.heapUsed,
  peakHeapBytes,
};
process.send?.({ type: 'result', ...result }, () => process.exit(0));
