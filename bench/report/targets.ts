import type { Comparison } from './results';

/** The receiver latency the throughput and CPU targets are judged at. */
export const TARGET_LATENCY_MS = 5;

export type TargetStatus = 'PASS' | 'MISS' | 'NOT MEASURED';

/** One of the project's performance targets for the function, and how the run did against it. */
export interface TargetResult {
  readonly id: 'time-vs-floor' | 'speedup-vs-one-at-a-time' | 'cpu-vs-floor' | 'bundle-size' | 'load-time';
  readonly target: string;
  readonly limit: number;
  readonly measured: number | undefined;
  readonly unit: string;
  readonly status: TargetStatus;
  /** For a miss: how far off, e.g. "0.35x over (29% more than allowed)". */
  readonly missedBy: string | undefined;
}

export interface TargetInputs {
  readonly comparisons: readonly Comparison[];
  readonly bundleBytes: number;
  readonly loadOverEmptyMs: number;
}

// One judge for both kinds of target: `most` caps the measure, `least` sets its floor.
const judge =
  (bound: 'most' | 'least') =>
  (
    id: TargetResult['id'],
    target: string,
    limit: number,
    measured: number | undefined,
    unit: string,
  ): TargetResult => {
    if (measured === undefined)
      return { id, target, limit, measured, unit, status: 'NOT MEASURED', missedBy: undefined };
    const gap = bound === 'most' ? measured - limit : limit - measured;
    const pass = gap <= 0;
    const how = bound === 'most' ? 'over the limit' : 'short';
    const relative = bound === 'most' ? 'more than allowed' : 'below the target';
    return {
      id,
      target,
      limit,
      measured,
      unit,
      status: pass ? 'PASS' : 'MISS',
      missedBy: pass ? undefined : `${round(gap)}${unit} ${how} (${percent(gap / limit)} ${relative})`,
    };
  };

const atMost = judge('most');
const atLeast = judge('least');

const round = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const percent = (fraction: number): string => `${(fraction * 100).toFixed(0)}%`;

/** Judges a run against the performance targets (throughput and CPU at {@link TARGET_LATENCY_MS}). */
export const evaluateTargets = ({
  comparisons,
  bundleBytes,
  loadOverEmptyMs,
}: TargetInputs): TargetResult[] => {
  const reference = comparisons.find((c) => c.latencyMs === TARGET_LATENCY_MS);
  return [
    atMost(
      'time-vs-floor',
      `at ${TARGET_LATENCY_MS} ms latency, at most 1.2x the floor's time`,
      1.2,
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
    atMost(
      'cpu-vs-floor',
      `CPU per record at most 1.5x the floor's (at ${TARGET_LATENCY_MS} ms)`,
      1.5,
      reference?.cpuVsFloor,
      'x',
    ),
    atMost('bundle-size', 'bundle at most 500 KB (500,000 bytes)', 500, bundleBytes / 1000, ' KB'),
    atMost('load-time', 'load time at most 120 ms over an empty handler', 120, loadOverEmptyMs, ' ms'),
  ];
};
