// Child process: one variant's run, so its CPU time and memory are its own. Argument: a VariantJob as JSON.
// Replies { type: 'result', ...VariantMeasurement }.
import { readFileSync } from 'node:fs';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createFloorClient } from '../../variants/floor-client';
import { createOneAtATime } from '../../variants/one-at-a-time';
import { loadThisFunction } from '../../variants/this-function';
import type { Variant } from '../../variants/variant';
import type { VariantJob, VariantMeasurement } from '../jobs';
import { startProfiling } from '../profiler';

const job = JSON.parse(process.argv[2] ?? '') as VariantJob;

const createVariant = (): Variant => {
  switch (job.variant) {
    case 'this-function':
      return loadThisFunction(job.bundlePath);
    case 'one-at-a-time':
      return createOneAtATime(job.url);
    case 'floor':
      return createFloorClient({ url: job.url, concurrency: job.concurrency });
  }
};

const lines = readFileSync(job.eventsFile, 'utf8').split('\n').filter(Boolean);
const warmup = lines.slice(0, job.warmupEvents);
const measured = lines.slice(job.warmupEvents, job.warmupEvents + job.measuredEvents);
if (measured.length === 0) throw new Error(`${job.eventsFile} has no events after the warm-up`);
lines.length = 0;

const variant = createVariant();
let warmupRecords = 0;
for (const text of warmup) {
  const event = JSON.parse(text) as KinesisStreamEvent;
  warmupRecords += event.Records.length;
  const delivered = await variant.invoke(event);
  if (delivered !== event.Records.length) {
    throw new Error(`warm-up: delivered ${delivered} of ${event.Records.length} records`);
  }
}

const baseline = process.memoryUsage();
let peakHeapBytes = baseline.heapUsed;
const sampler = job.sampleMemory
  ? setInterval(() => {
      peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
    }, 1)
  : undefined;

const profiler = job.profileFile === undefined ? undefined : await startProfiling(job.profileFile);
let records = 0;
let delivered = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (const text of measured) {
  const event = JSON.parse(text) as KinesisStreamEvent;
  records += event.Records.length;
  delivered += await variant.invoke(event);
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await profiler?.stop();
clearInterval(sampler);
peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);

const result: VariantMeasurement = {
  warmupRecords,
  records,
  delivered,
  wallMs,
  cpuUs: cpu.user + cpu.system,
  baselineRssBytes: baseline.rss,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  baselineHeapBytes: baseline.heapUsed,
  peakHeapBytes,
};
process.send?.({ type: 'result', ...result }, () => process.exit(0));
