import { MAX_DUPLICATE_RATE } from '../../test/helpers/chaos-scenario';
import type {
  Comparison,
  LedgerResults,
  LoadControlCell,
  LoadControlResults,
  LoadResult,
  ThroughputCell,
} from './results';

/** The receiver latency the throughput and CPU targets are judged at. */
export const TARGET_LATENCY_MS = 5;
/** The receiver latency the rate target is judged at: no waiting, only the forwarder's own work. */
export const RATE_LATENCY_MS = 0;

export type TargetStatus = 'PASS' | 'MISS' | 'NOT MEASURED';

export type TargetId =
  | 'time-vs-floor'
  | 'speedup-vs-one-at-a-time'
  | 'rate-vs-floor'
  | 'cpu-vs-floor'
  | 'warm-cpu-vs-floor'
  | 'tracing-cost'
  | 'bundle-size'
  | 'load-time'
  | 'adaptive-vs-static'
  | 'adaptive-refused'
  | 'adaptive-without-limit'
  | 'ledger-duplicates'
  | 'ledger-lost-or-out-of-order';

/** One of the project's performance targets for the function, and how the run did against it. */
export interface TargetResult {
  readonly id: TargetId;
  readonly target: string;
  readonly limit: number;
  readonly measured: number | undefined;
  readonly unit: string;
  readonly status: TargetStatus;
  /** For a miss: how far off, e.g. "0.35x over (29% more than allowed)". */
  readonly missedBy: string | undefined;
}

export interface TargetInputs {
  readonly throughput: readonly ThroughputCell[];
  readonly comparisons: readonly Comparison[];
  readonly bundleBytes: number;
  readonly load: LoadResult;
  readonly loadControl: LoadControlResults | undefined;
  readonly ledger: LedgerResults | undefined;
}

const round = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const percent = (fraction: number): string => `${(fraction * 100).toFixed(0)}%`;

// One judge for the kinds of target: `most` caps the measure, `least` sets its floor, `reported` asks only that it
// was measured.
const judge =
  (bound: 'most' | 'least' | 'reported') =>
  (id: TargetId, target: string, limit: number, measured: number | undefined, unit: string): TargetResult => {
    if (measured === undefined)
      return { id, target, limit, measured, unit, status: 'NOT MEASURED', missedBy: undefined };
    const gap = bound === 'most' ? measured - limit : bound === 'least' ? limit - measured : 0;
    const pass = gap <= 0;
    const how = bound === 'most' ? 'over the limit' : 'short';
    const relative = bound === 'most' ? 'more than allowed' : 'below the target';
    const share = limit === 0 ? '' : ` (${percent(gap / limit)} ${relative})`;
    return {
      id,
      target,
      limit,
      measured,
      unit,
      status: pass ? 'PASS' : 'MISS',
      missedBy: pass ? undefined : `${round(gap)}${unit} ${how}${share}`,
    };
  };

const atMost = judge('most');
const atLeast = judge('least');
const reported = judge('reported');

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a / b;

/** The load-control cell of a setup, if the run measured it. */
export const loadControlCell = (
  results: LoadControlResults | undefined,
  receiver: LoadControlCell['receiver'],
  mode: LoadControlCell['mode'],
  concurrency: number,
): LoadControlCell | undefined =>
  results?.cells.find((c) => c.receiver === receiver && c.mode === mode && c.concurrency === concurrency);

/** Judges a run against the performance targets (throughput and CPU at {@link TARGET_LATENCY_MS}). */
export const evaluateTargets = ({
  throughput,
  comparisons,
  bundleBytes,
  load,
  loadControl,
  ledger,
}: TargetInputs): TargetResult[] => {
  const reference = comparisons.find((c) => c.latencyMs === TARGET_LATENCY_MS);
  const unloaded = comparisons.find((c) => c.latencyMs === RATE_LATENCY_MS);
  const cell = (variant: ThroughputCell['variant']) =>
    throughput.find((c) => c.latencyMs === TARGET_LATENCY_MS && c.variant === variant);
  const tracingCost = ratio(
    cell('traced-sampled')?.cpuUsPerRecord.median,
    cell('this-function')?.cpuUsPerRecord.median,
  );
  const ceiling = Math.max(0, ...(loadControl?.cells.map((c) => c.concurrency) ?? []));
  const capacity = loadControl?.capacity ?? 0;
  const adaptive = loadControlCell(loadControl, 'capacity', 'adaptive', ceiling);
  const staticK = loadControlCell(loadControl, 'capacity', 'static', capacity);
  const adaptiveFree = loadControlCell(loadControl, 'unlimited', 'adaptive', ceiling);
  const staticFree = loadControlCell(loadControl, 'unlimited', 'static', ceiling);
  const withLedger = ledger?.cases.filter((c) => c.ledger !== 'off') ?? [];
  const allCases = ledger?.cases ?? [];
  return [
    atMost(
      'time-vs-floor',
      `at ${TARGET_LATENCY_MS} ms latency, at most 1.1x the floor's time`,
      1.1,
      reference?.timeVsFloor,
      'x',
    ),
    atLeast(
      'speedup-vs-one-at-a-time',
      `at ${TARGET_LATENCY_MS} ms latency, at least 8x faster than one at a time`,
      8,
      reference?.speedupVsOneAtATime,
      'x',
    ),
    atLeast(
      'rate-vs-floor',
      `at ${RATE_LATENCY_MS} ms latency, at least 60% of the floor's records per second`,
      60,
      unloaded === undefined ? undefined : 100 / unloaded.timeVsFloor,
      '%',
    ),
    atMost(
      'cpu-vs-floor',
      `CPU per record over the standard workload at most 1.6x the floor's (at ${TARGET_LATENCY_MS} ms)`,
      1.6,
      reference?.cpuVsFloor,
      'x',
    ),
    atMost(
      'warm-cpu-vs-floor',
      `CPU per record warm (after 20 batches) at most 1.8x the floor's (at ${TARGET_LATENCY_MS} ms)`,
      1.8,
      reference?.warmCpuVsFloor,
      'x',
    ),
    reported(
      'tracing-cost',
      `tracing on as deployed: CPU per record with sampled traces over tracing off measured (at ${TARGET_LATENCY_MS} ms)`,
      0,
      tracingCost,
      'x',
    ),
    atMost('bundle-size', 'bundle at most 350 KB (350,000 bytes)', 350, bundleBytes / 1000, ' KB'),
    atMost(
      'load-time',
      'cold start at most 60 ms over an empty handler with the deployed settings',
      60,
      load.deployed?.overEmptyMs,
      ' ms',
    ),
    atLeast(
      'adaptive-vs-static',
      `against a receiver serving ${capacity} at once, adaptive (ceiling ${ceiling}) at least 90% of the records ` +
        `per second of a static ${capacity}`,
      90,
      adaptive && staticK
        ? (100 * adaptive.recordsPerSecond.median) / staticK.recordsPerSecond.median
        : undefined,
      '%',
    ),
    atMost(
      'adaptive-refused',
      `against a receiver serving ${capacity} at once, adaptive's refused requests at most 5% of those delivered`,
      5,
      adaptive === undefined ? undefined : 100 * adaptive.refusedShare.median,
      '%',
    ),
    atLeast(
      'adaptive-without-limit',
      `against a receiver without limit, adaptive (ceiling ${ceiling}) at least 90% of the records per second of a ` +
        `static ${ceiling}`,
      90,
      adaptiveFree && staticFree
        ? (100 * adaptiveFree.recordsPerSecond.median) / staticFree.recordsPerSecond.median
        : undefined,
      '%',
    ),
    atMost(
      'ledger-duplicates',
      `under injected faults, with the ledger, duplicates at most ${MAX_DUPLICATE_RATE * 100}% of the records in every ordering mode`,
      MAX_DUPLICATE_RATE * 100,
      withLedger.length === 0 ? undefined : 100 * Math.max(...withLedger.map((c) => c.duplicateRate)),
      '%',
    ),
    atMost(
      'ledger-lost-or-out-of-order',
      'under injected faults, no record lost or delivered out of key order, with or without the ledger',
      0,
      allCases.length === 0 ? undefined : allCases.reduce((sum, c) => sum + c.lost + c.outOfOrder, 0),
      ' records',
    ),
  ];
};
