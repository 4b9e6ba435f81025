import type { BundleAnalysis } from '../harness/bundle';
import type { LedgerCase, PhaseMeasurement, ReceiverView, VariantMeasurement } from '../harness/jobs';
import type { MachineInfo } from '../harness/machine';
import type { BenchOptions } from '../harness/options';
import type { Share } from '../harness/package-of';
import { VARIANT_NAMES, type VariantName } from '../variants/variant';
import { type Summary, summarize } from './stats';
import type { TargetResult } from './targets';

/** The runs of one measured stretch and their medians. */
export interface PhaseCell {
  /** Records measured per run. */
  readonly recordsPerRun: number;
  readonly runs: ReadonlyArray<{ readonly wallMs: number; readonly cpuUs: number }>;
  readonly recordsPerSecond: Summary;
  readonly cpuUsPerRecord: Summary;
}

/** One variant at one latency: its runs and their medians. */
export interface ThroughputCell extends PhaseCell {
  readonly latencyMs: number;
  readonly variant: VariantName;
  /** CPU time over wall time of the variant's process: near 1, it was bound by its single thread. */
  readonly cpuBusy: Summary;
  /** The same process measured again after 20 batches (absent for one at a time, and in older results). */
  readonly warm?: PhaseCell;
  /** X-Ray segments the run sent per record (tracing on). */
  readonly segmentsPerRecord?: Summary;
}

/** This function against the others at one latency, from the medians. */
export interface Comparison {
  readonly latencyMs: number;
  /** This function's time for the same records over the floor's (1 = as fast as the floor). */
  readonly timeVsFloor: number;
  /** This function's records per second over one-at-a-time's. */
  readonly speedupVsOneAtATime: number;
  /** This function's CPU per record over the floor's, over the standard workload (JIT warm-up included). */
  readonly cpuVsFloor: number;
  /** The same once both are warm (after 20 batches). */
  readonly warmCpuVsFloor?: number;
  /** This function's time for the same records over the peer's. */
  readonly timeVsPeer?: number;
  /** This function's CPU per record over the peer's, standard workload and warm. */
  readonly cpuVsPeer?: number;
  readonly warmCpuVsPeer?: number;
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

/** Load times of an empty handler and a bundle with the same settings. */
export interface LoadPair {
  readonly emptyMs: Summary;
  readonly functionMs: Summary;
  /** Median of the function's load minus median of the empty handler's. */
  readonly overEmptyMs: number;
}

/** Cold start: `require()` of each bundle in fresh processes. */
export interface LoadResult extends LoadPair {
  /**
   * With the deployed settings: NODE_OPTIONS=--enable-source-maps as template.yaml sets it, and tracing on as
   * `Tracing: Active` turns it on in Lambda (the X-Ray SDK loaded). Absent in older results.
   */
  readonly deployed?: LoadPair & { readonly peerMs: Summary; readonly peerOverEmptyMs: number };
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
  /** Batches sent before the warm measurement starts (absent in older results). */
  readonly warmAfterBatches?: number;
  /** Measured batches per run, by variant and latency (one-at-a-time is capped at high latency). */
  readonly measuredBatches: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly batches: number;
  }>;
  readonly maxBatch: { readonly records: number; readonly eventBytes: number; readonly payloadBytes: number };
}

/** How this function's concurrency limit was run against a receiver. */
export interface LoadControlSetup {
  /** `capacity`: the receiver serves `capacity` requests at once, 503 beyond; `unlimited`: any number. */
  readonly receiver: 'capacity' | 'unlimited';
  readonly mode: 'adaptive' | 'static';
  /** FORWARD_CONCURRENCY: the ceiling of the adaptive limit, or the static number of requests in flight. */
  readonly concurrency: number;
}

/** One run of the load-control rows. */
export interface LoadControlRun {
  readonly records: number;
  readonly wallMs: number;
  readonly cpuUs: number;
  /** Invocations, the retries of failed records included. */
  readonly invocations: number;
  /** What the receiver saw of the run after its warm-up. */
  readonly receiver: ReceiverView;
}

/** One setup of the load-control rows: its runs and their medians. */
export interface LoadControlCell extends LoadControlSetup {
  readonly runs: readonly LoadControlRun[];
  readonly recordsPerSecond: Summary;
  /** Requests the receiver refused (503) over those it accepted. */
  readonly refusedShare: Summary;
  readonly cpuUsPerRecord: Summary;
}

/** Adaptive against static concurrency, against a receiver of limited capacity and one without. */
export interface LoadControlResults {
  readonly latencyMs: number;
  /** Requests the limited receiver serves at once. */
  readonly capacity: number;
  readonly ordering: string;
  readonly recordsPerBatch: number;
  readonly cells: readonly LoadControlCell[];
}

/** The delivery ledger under the fault-injection suite's faults: every ordering mode, with and without it. */
export interface LedgerResults {
  readonly seed: string;
  readonly cases: readonly LedgerCase[];
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
  readonly bundle: BundleAnalysis & { readonly peerBytes?: number };
  readonly load: LoadResult;
  readonly loadControl?: LoadControlResults;
  readonly ledger?: LedgerResults;
  readonly profiles: Profiles | undefined;
  readonly targets: readonly TargetResult[];
  readonly durationSeconds: number;
}

/** A variant run as measured, with what the receiver saw when the harness recorded it. */
export type MeasuredRun = VariantMeasurement & { readonly receiver?: ReceiverView };

/** Raw measurements of one bench run, before the medians. */
export interface RawMeasurements {
  readonly throughput: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly measurement: MeasuredRun;
  }>;
  readonly memory: ReadonlyArray<{
    readonly latencyMs: number;
    readonly variant: VariantName;
    readonly measurement: VariantMeasurement;
  }>;
  readonly load: { readonly emptyMs: readonly number[]; readonly functionMs: readonly number[] };
  readonly deployedLoad?: {
    readonly emptyMs: readonly number[];
    readonly functionMs: readonly number[];
    readonly peerMs: readonly number[];
  };
  readonly loadControl: ReadonlyArray<LoadControlSetup & { readonly run: LoadControlRun }>;
  readonly ledger: readonly LedgerCase[];
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

const phaseCell = (phases: readonly PhaseMeasurement[]): PhaseCell => ({
  recordsPerRun: phases[0]?.records ?? 0,
  runs: phases.map((m) => ({ wallMs: m.wallMs, cpuUs: m.cpuUs })),
  recordsPerSecond: summarize(phases.map((m) => m.records / (m.wallMs / 1000))),
  cpuUsPerRecord: summarize(phases.map((m) => m.cpuUs / m.records)),
});

// Records sent after the warm-up, which is what the receiver's view of the run covers.
const sentRecords = (m: MeasuredRun) => m.records + m.unmeasuredRecords + (m.warm?.records ?? 0);

/** Medians per variant and latency, and this function's ratios to the floor, one-at-a-time and the peer. */
export const summarizeThroughput = (
  raw: RawMeasurements['throughput'],
): { cells: ThroughputCell[]; comparisons: Comparison[] } => {
  const cells = [...groupBy(raw, (r) => `${r.latencyMs}/${r.variant}`).values()].map(
    (runs): ThroughputCell => {
      const first = runs[0] as (typeof runs)[number];
      const measured = runs.map((r) => r.measurement);
      const warm = measured.flatMap((m) => (m.warm ? [m.warm] : []));
      const traced = measured.filter((m) => (m.receiver?.segments ?? 0) > 0);
      return {
        latencyMs: first.latencyMs,
        variant: first.variant,
        ...phaseCell(measured),
        cpuBusy: summarize(measured.map((m) => m.cpuUs / 1000 / m.wallMs)),
        ...(warm.length > 0 ? { warm: phaseCell(warm) } : {}),
        ...(traced.length > 0
          ? { segmentsPerRecord: summarize(traced.map((m) => (m.receiver?.segments ?? 0) / sentRecords(m))) }
          : {}),
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
    const peer = cell('peer');
    if (!fn || !floor || !serial) return [];
    const ratio = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined ? undefined : a / b;
    const optional = {
      warmCpuVsFloor: ratio(fn.warm?.cpuUsPerRecord.median, floor.warm?.cpuUsPerRecord.median),
      timeVsPeer: ratio(peer?.recordsPerSecond.median, fn.recordsPerSecond.median),
      cpuVsPeer: ratio(fn.cpuUsPerRecord.median, peer?.cpuUsPerRecord.median),
      warmCpuVsPeer: ratio(fn.warm?.cpuUsPerRecord.median, peer?.warm?.cpuUsPerRecord.median),
    };
    return [
      {
        latencyMs,
        timeVsFloor: floor.recordsPerSecond.median / fn.recordsPerSecond.median,
        speedupVsOneAtATime: fn.recordsPerSecond.median / serial.recordsPerSecond.median,
        cpuVsFloor: fn.cpuUsPerRecord.median / floor.cpuUsPerRecord.median,
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
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

const loadPair = (emptyMs: readonly number[], functionMs: readonly number[]): LoadPair => {
  const empty = summarize(emptyMs);
  const fn = summarize(functionMs);
  return { emptyMs: empty, functionMs: fn, overEmptyMs: fn.median - empty.median };
};

/** Medians of the load times and each bundle's time over the empty handler's. */
export const summarizeLoad = (raw: Pick<RawMeasurements, 'load' | 'deployedLoad'>): LoadResult => {
  const plain = loadPair(raw.load.emptyMs, raw.load.functionMs);
  const deployed = raw.deployedLoad;
  if (!deployed || deployed.functionMs.length === 0) return plain;
  const pair = loadPair(deployed.emptyMs, deployed.functionMs);
  const peerMs = summarize(deployed.peerMs);
  return { ...plain, deployed: { ...pair, peerMs, peerOverEmptyMs: peerMs.median - pair.emptyMs.median } };
};

const sameSetup = (a: LoadControlSetup, b: LoadControlSetup) =>
  a.receiver === b.receiver && a.mode === b.mode && a.concurrency === b.concurrency;

/** Medians of the load-control runs per setup, in the order the setups were first run. */
export const summarizeLoadControl = (raw: RawMeasurements['loadControl']): LoadControlCell[] => {
  const setups = raw.filter((entry, index) => raw.findIndex((other) => sameSetup(entry, other)) === index);
  return setups.map((setup) => {
    const runs = raw.filter((entry) => sameSetup(entry, setup)).map((entry) => entry.run);
    const accepted = (run: LoadControlRun) => run.receiver.requests - run.receiver.refused;
    return {
      receiver: setup.receiver,
      mode: setup.mode,
      concurrency: setup.concurrency,
      runs,
      recordsPerSecond: summarize(runs.map((run) => run.records / (run.wallMs / 1000))),
      refusedShare: summarize(runs.map((run) => run.receiver.refused / Math.max(1, accepted(run)))),
      cpuUsPerRecord: summarize(runs.map((run) => run.cpuUs / run.records)),
    };
  });
};
