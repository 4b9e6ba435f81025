import type { VariantMeasurement } from '../../harness/jobs';
import { parseOptions } from '../../harness/options';
import {
  type BenchResults,
  type RawMeasurements,
  summarizeLoad,
  summarizeMemory,
  summarizeThroughput,
} from '../../report/results';
import { evaluateTargets } from '../../report/targets';
import type { VariantName } from '../../variants/variant';

/** A variant run that handled `records` records in `wallMs` using `cpuUs` of CPU. */
export const measurement = (records: number, wallMs: number, cpuUs: number): VariantMeasurement => ({
  warmupRecords: 100,
  records,
  delivered: records,
  wallMs,
  cpuUs,
  baselineRssBytes: 90e6,
  peakRssBytes: 120e6,
  baselineHeapBytes: 20e6,
  peakHeapBytes: 40e6,
});

type Runs = Record<VariantName, ReadonlyArray<readonly [wallMs: number, cpuUs: number]>>;

/** Bench results built from made-up runs through the same summaries as a real run. */
export const benchResults = (runsByLatency: Record<number, Runs>, bundleBytes = 464_175): BenchResults => {
  const throughput: Array<RawMeasurements['throughput'][number]> = [];
  for (const [latency, runs] of Object.entries(runsByLatency)) {
    for (const [variant, list] of Object.entries(runs) as Array<[VariantName, Runs[VariantName]]>) {
      for (const [wallMs, cpuUs] of list) {
        throughput.push({
          latencyMs: Number(latency),
          variant,
          measurement: measurement(1000, wallMs, cpuUs),
        });
      }
    }
  }
  const { cells, comparisons } = summarizeThroughput(throughput);
  const load = summarizeLoad({ emptyMs: [1, 1.2, 0.9], functionMs: [101, 99, 100] });
  const options = parseOptions([]);
  return {
    date: '2026-11-25T18:00:00.000Z',
    note: 'Run on a quiet machine.',
    machine: {
      cpu: 'Test CPU <model> & co',
      cores: 2,
      memoryGiB: 4,
      node: 'v24.0.0',
      os: 'Linux',
      loadAverageAtStart: 0.1,
    },
    options,
    workload: {
      recordsPerBatch: 100,
      partitionKeys: 20,
      payloadBytes: 1024,
      concurrency: 10,
      warmupBatches: 1,
      measuredBatches: [],
      maxBatch: { records: 100, eventBytes: 6_000_000, payloadBytes: 45_000 },
    },
    throughput: cells,
    comparisons,
    memory: summarizeMemory([
      { latencyMs: 5, variant: 'this-function', measurement: measurement(100, 50, 9000) },
    ]),
    bundle: {
      bytes: bundleBytes,
      packages: [{ name: 'axios', amount: 85_500, share: 0.5 }],
      breakdownMatches: true,
    },
    load,
    profiles: {
      latencyMs: 5,
      thisFunction: [{ name: 'axios', amount: 273_000, share: 0.6 }],
      floor: [{ name: 'Node.js core', amount: 231_000, share: 1 }],
      load: [{ name: 'axios', amount: 40_000, share: 1 }],
    },
    targets: evaluateTargets({ comparisons, bundleBytes, loadOverEmptyMs: load.overEmptyMs }),
    durationSeconds: 150,
  };
};

/**
 * A run that misses the time, speed-up and CPU targets: at 5 ms this function sends 1000 records in 1500 ms with
 * 1.2 s of CPU, the floor in 1000 ms with 0.4 s, one at a time in 6000 ms.
 */
export const missingTargets = (): BenchResults =>
  benchResults({
    5: {
      'this-function': [[1500, 1_200_000]],
      'one-at-a-time': [[6000, 600_000]],
      floor: [[1000, 400_000]],
    },
  });
