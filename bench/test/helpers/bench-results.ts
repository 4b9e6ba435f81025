import type { OrderingMode } from '../../../src/config';
import type { LedgerCase, VariantMeasurement } from '../../harness/jobs';
import { parseOptions } from '../../harness/options';
import {
  type BenchResults,
  type LedgerResults,
  type LoadControlResults,
  type LoadControlSetup,
  type RawMeasurements,
  summarizeLoad,
  summarizeLoadControl,
  summarizeMemory,
  summarizeThroughput,
} from '../../report/results';
import { evaluateTargets } from '../../report/targets';
import type { VariantName } from '../../variants/variant';

/** A variant run that handled `records` records in `wallMs` using `cpuUs` of CPU. */
export const measurement = (records: number, wallMs: number, cpuUs: number): VariantMeasurement => ({
  warmupRecords: 100,
  unmeasuredRecords: 0,
  invocations: 10,
  records,
  delivered: records,
  wallMs,
  cpuUs,
  baselineRssBytes: 90e6,
  peakRssBytes: 120e6,
  baselineHeapBytes: 20e6,
  peakHeapBytes: 40e6,
});

type Runs = Partial<Record<VariantName, ReadonlyArray<readonly [wallMs: number, cpuUs: number]>>>;

/** Bench results built from made-up runs through the same summaries as a real run. */
export const benchResults = (runsByLatency: Record<number, Runs>, bundleBytes = 464_175): BenchResults => {
  const throughput: Array<RawMeasurements['throughput'][number]> = [];
  for (const [latency, runs] of Object.entries(runsByLatency)) {
    for (const [variant, list] of Object.entries(runs) as Array<[VariantName, Runs[VariantName]]>) {
      for (const [wallMs, cpuUs] of list ?? []) {
        throughput.push({
          latencyMs: Number(latency),
          variant,
          measurement: measurement(1000, wallMs, cpuUs),
        });
      }
    }
  }
  const { cells, comparisons } = summarizeThroughput(throughput);
  const load = summarizeLoad({ load: { emptyMs: [1, 1.2, 0.9], functionMs: [101, 99, 100] } });
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
    targets: evaluateTargets({
      throughput: cells,
      comparisons,
      bundleBytes,
      load,
      loadControl: undefined,
      ledger: undefined,
    }),
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

type Phase = readonly [wallMs: number, cpuUs: number];

// A run of 1000 measured records, and 1000 more measured warm; `segments` X-Ray segments after the warm-up.
const runOf = (
  latencyMs: number,
  variant: VariantName,
  [wallMs, cpuUs]: Phase,
  warm?: Phase,
  segments = 0,
) => ({
  latencyMs,
  variant,
  measurement: {
    ...measurement(1000, wallMs, cpuUs),
    ...(warm ? { warm: { records: 1000, delivered: 1000, wallMs: warm[0], cpuUs: warm[1] } } : {}),
    receiver: { requests: 2000, refused: 0, duplicates: 0, segments },
  },
});

const loadControlRun = (
  setup: LoadControlSetup,
  records: number,
  wallMs: number,
  refused: number,
): RawMeasurements['loadControl'][number] => ({
  ...setup,
  run: {
    records,
    wallMs,
    cpuUs: records * 500,
    invocations: records / 100,
    receiver: { requests: records + refused, refused, duplicates: 0, segments: 0 },
  },
});

const ledgerCase = (ordering: OrderingMode, ledger: 'memory' | 'off', duplicates: number): LedgerCase => ({
  ordering,
  ledger,
  records: 1000,
  requests: 1200,
  accepted: 1000 + duplicates,
  duplicates,
  duplicateRate: duplicates / 1000,
  lost: 0,
  outOfOrder: 0,
  invocations: 20,
  retriedBatches: 8,
  timedOut: 0,
  elapsedMs: 10_000,
});

/**
 * Results with every row a run now has, all targets met: at 5 ms this function 1000 records/s using 375 µs per
 * record (170 warm), the floor 1053 records/s using 250 (100 warm), the peer 1429 records/s; tracing on sampled
 * 1.6x the CPU, unsampled 1.2x; batch mode 10x the records per second; adaptive 333 records/s against a static 8's
 * 364 with 2% refused; the ledger's duplicates at most 1%.
 */
export const fullResults = (): BenchResults => {
  const throughput = [
    runOf(0, 'this-function', [400, 375_000], [350, 170_000]),
    runOf(0, 'one-at-a-time', [500, 300_000]),
    runOf(0, 'floor', [250, 250_000], [240, 100_000]),
    runOf(0, 'peer', [300, 600_000], [280, 250_000]),
    runOf(5, 'this-function', [1000, 375_000], [900, 170_000]),
    runOf(5, 'this-function', [1100, 380_000], [950, 175_000]),
    runOf(5, 'this-function', [980, 370_000], [920, 165_000]),
    runOf(5, 'one-at-a-time', [8000, 600_000]),
    runOf(5, 'floor', [950, 250_000], [900, 100_000]),
    runOf(5, 'peer', [700, 600_000], [600, 250_000]),
    runOf(5, 'traced-sampled', [1200, 600_000], [1000, 300_000], 2020),
    runOf(5, 'traced-unsampled', [1100, 450_000], [950, 220_000]),
    runOf(5, 'batched', [100, 100_000], [80, 60_000]),
  ];
  const { cells, comparisons } = summarizeThroughput(throughput);
  const load = summarizeLoad({
    load: { emptyMs: [1], functionMs: [41] },
    deployedLoad: { emptyMs: [2], functionMs: [52], peerMs: [40] },
  });
  const loadControl: LoadControlResults = {
    latencyMs: 20,
    capacity: 8,
    ordering: 'none',
    recordsPerBatch: 100,
    cells: summarizeLoadControl([
      loadControlRun({ receiver: 'capacity', mode: 'adaptive', concurrency: 64 }, 2000, 6000, 40),
      loadControlRun({ receiver: 'capacity', mode: 'static', concurrency: 8 }, 2000, 5500, 0),
      loadControlRun({ receiver: 'capacity', mode: 'static', concurrency: 64 }, 300, 7500, 2000),
      loadControlRun({ receiver: 'unlimited', mode: 'adaptive', concurrency: 64 }, 3000, 2000, 0),
      loadControlRun({ receiver: 'unlimited', mode: 'static', concurrency: 64 }, 3000, 1900, 0),
    ]),
  };
  const ledger: LedgerResults = {
    seed: 'default',
    cases: [
      ledgerCase('partition-key', 'memory', 10),
      ledgerCase('partition-key', 'off', 400),
      ledgerCase('shard', 'memory', 5),
      ledgerCase('shard', 'off', 6),
      ledgerCase('none', 'memory', 8),
      ledgerCase('none', 'off', 390),
    ],
  };
  const base = benchResults({}, 340_000);
  return {
    ...base,
    workload: { ...base.workload, warmAfterBatches: 20 },
    throughput: cells,
    comparisons,
    bundle: { ...base.bundle, peerBytes: 285_000 },
    load,
    loadControl,
    ledger,
    targets: evaluateTargets({
      throughput: cells,
      comparisons,
      bundleBytes: 340_000,
      load,
      loadControl,
      ledger,
    }),
  };
};
