import type { BundleAnalysis } from '../harness/bundle';
import type { VariantMeasurement } from '../harness/jobs';
import type { MachineInfo } from '../harness/machine';
import type { BenchOptions } from '../harness/options';
import type { Share } from '../harness/package-of';
import { VARIANT_NAMES, type VariantName } from '../variants/variant';
import { type Summary, summarize } from './stats';
import type { TargetResult } from './targets';

/** One variant at one latency: its runs and their medians. */
export interface ThroughputCell {
  readonly latencyMs: number;
  readonly variant: VariantName;
  /** Records measured per run (after the warm-up batch). */
  readonly recordsPerRun: number;
  readonly runs: ReadonlyArray<{ readonly wallMs: number; readonly cpuUs: number }>;
  readonly recordsPerSecond: Summary;
  readonly cpuUsPerRecord: Summary;
  /** CPU time over wall time of the variant's process: near 1, it was bound by its single thread. */
  readonly cpuBusy: Summary;
}

/** This function against the other two at one latency, from the medians. */
export interface Comparison {
  readonly latencyMs: number;
  /** This function's time for the same records over the floor's (1 = as fast as the floor). */
  readonly timeVsFloor: number;
  /** This function's records per second over one-at-a-time's. */
  readonly speedupVsOneAtATime: number;
  /** This function's CPU per record over the floor's. */
  readonly cpuVsFloor: number;
}

/** Memory of one variant handling one maximum-size batch. */
export interface MemoryCell {
  readonly variant: VariantName;
  readonly latencyMs: number;
  readonly baselineRssBytes: Summary;
  readonly peakRssBytes: Summary;
  readonly baselineHeapBytes: Summary;
  readonly peakHeapBytes: Summary;
}

/** Cold start: `require()` of each bundle in fresh processes. */
export interface LoadResult {
  readonly emptyMs: Summary;
  readonly functionMs: Summary;
  /** Median of the function's load minus median of the empty handler's. */
  readonly overEmptyMs: number;
}

/** Where CPU time went, from `node --cpu-prof` runs. */
export interface Profiles {
  readonly latencyMs: number;
  readonly thisFunction: readonly Share[];
  readonly floor: readonly Share[];
  /** Loading dist/handler.js. */
  readonly load: readonly Share[];
}

export interface Workload {
  readonly recordsPerBatch: number;
  readonly partitionKeys: number;
  readonly payloadBytes: number;
  readonly concurrency: number;
  readonly warmupBatches: number;
  /** Measured batches per run, by variant and latency (one-at-a-time is capped at high latency). */
  readonly measuredBatches: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly batches: number;
  }>;
  readonly maxBatch: { readonly records: number; readonly eventBytes: number; readonly payloadBytes: number };
}

/** Everything one `npm run bench` measured: the content of bench/results/results.json. */
export interface BenchResults {
  readonly date: string;
  readonly note: string;
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  readonly workload: Workload;
  readonly throughput: readonly ThroughputCell[];
  readonly comparisons: readonly Comparison[];
  readonly memory: readonly MemoryCell[];
  readonly bundle: BundleAnalysis;
  readonly load: LoadResult;
  readonly profiles: Profiles | undefined;
  readonly targets: readonly TargetResult[];
  readonly durationSeconds: number;
}

/** Raw measurements of one bench run, before the medians. */
export interface RawMeasurements {
  readonly throughput: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly measurement: VariantMeasurement;
  }>;
  readonly memory: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly measurement: VariantMeasurement;
  }>;
  readonly load: { readonly emptyMs: readonly number[]; readonly functionMs: readonly number[] };
}

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

/** Medians per variant and latency, and this function's ratios to the floor and to one-at-a-time. */
export const summarizeThroughput = (
  raw: RawMeasurements['throughput'],
): { cells: ThroughputCell[]; comparisons: Comparison[] } => {
  const cells = [...groupBy(raw, (r) => `${r.latencyMs}/${r.variant}`).values()].map(
    (runs): ThroughputCell => {
      const first = runs[0] as (typeof runs)[number];
      const measured = runs.map((r) => r.measurement);
      return {
        latencyMs: first.latencyMs,
        variant: first.variant,
        recordsPerRun: first.measurement.records,
        runs: measured.map((m) => ({ wallMs: m.wallMs, cpuUs: m.cpuUs })),
        recordsPerSecond: summarize(measured.map((m) => m.records / (m.wallMs / 1000))),
        cpuUsPerRecord: summarize(measured.map((m) => m.cpuUs / m.records)),
        cpuBusy: summarize(measured.map((m) => m.cpuUs / 1000 / m.wallMs)),
      };
    },
  );
  cells.sort(
    (a, b) =>
      a.latencyMs - b.latencyMs || VARIANT_NAMES.indexOf(a.variant) - VARIANT_NAMES.indexOf(b.variant),
  );
  const latencies = [...new Set(cells.map((c) => c.latencyMs))];
  const comparisons = latencies.flatMap((latencyMs): Comparison[] => {
    const cell = (variant: VariantName) =>
      cells.find((c) => c.latencyMs === latencyMs && c.variant === variant);
    const fn = cell('this-function');
    const floor = cell('floor');
    const serial = cell('one-at-a-time');
    if (!fn || !floor || !serial) return [];
    return [
      {
        latencyMs,
        timeVsFloor: floor.recordsPerSecond.median / fn.recordsPerSecond.median,
        speedupVsOneAtATime: fn.recordsPerSecond.median / serial.recordsPerSecond.median,
        cpuVsFloor: fn.cpuUsPerRecord.median / floor.cpuUsPerRecord.median,
      },
    ];
  });
  return { cells, comparisons };
};

/** Medians of the memory runs per variant. */
export const summarizeMemory = (raw: RawMeasurements['memory']): MemoryCell[] =>
  [...groupBy(raw, (r) => r.variant).values()].map((runs) => {
    const first = runs[0] as (typeof runs)[number];
    const measured = runs.map((r) => r.measurement);
    return {
      variant: first.variant,
      latencyMs: first.latencyMs,
      baselineRssBytes: summarize(measured.map((m) => m.baselineRssBytes)),
      peakRssBytes: summarize(measured.map((m) => m.peakRssBytes)),
      baselineHeapBytes: summarize(measured.map((m) => m.baselineHeapBytes)),
      peakHeapBytes: summarize(measured.map((m) => m.peakHeapBytes)),
    };
  });

/** Medians of the load times and the function's time over the empty handler. */
export const summarizeLoad = (raw: RawMeasurements['load']): LoadResult => {
  const emptyMs = summarize(raw.emptyMs);
  const functionMs = summarize(raw.functionMs);
  return { emptyMs, functionMs, overEmptyMs: functionMs.median - emptyMs.median };
};
