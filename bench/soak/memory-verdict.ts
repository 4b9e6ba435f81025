/** The forwarder's resident memory at one moment of the soak. */
export interface MemorySample {
  readonly elapsedS: number;
  /** Distinct records the receiver had by then. */
  readonly delivered: number;
  readonly rssMb: number;
  /** The anonymous part of rssMb (heap and native allocations), where the system tells. */
  readonly anonMb?: number | undefined;
  /** The file-backed part of rssMb (mapped code and data files), where the system tells. */
  readonly fileMb?: number | undefined;
}

/** The first sample taken once `target` records were delivered. */
export interface Milestone extends MemorySample {
  readonly target: number;
}

export interface MemoryVerdict {
  readonly milestones: readonly Milestone[];
  readonly peakMb: number | undefined;
  /** Median RSS while the second quarter of the records was delivered (the first quarter is warm-up). */
  readonly secondQuarterMedianMb: number | undefined;
  /** Median RSS while the last quarter was delivered. */
  readonly lastQuarterMedianMb: number | undefined;
  /** Least-squares slope of RSS over records delivered, after the warm-up quarter, per 10,000 records. */
  readonly growthMbPer10k: number | undefined;
  readonly flat: boolean;
  readonly explanation: string;
}

const MILESTONES = [0.1, 0.25, 0.5, 0.75, 1];
// Fewer samples than this in a quarter say too little about it.
const MIN_SAMPLES = 3;

const median = (values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const slope = (points: ReadonlyArray<readonly [number, number]>): number | undefined => {
  if (points.length < 2) return undefined;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const spread = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  if (spread === 0) return undefined;
  return points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / spread;
};

const round = (value: number | undefined, digits = 1) =>
  value === undefined ? undefined : Number(value.toFixed(digits));

/**
 * Judges whether memory stayed flat over a soak of `total` records: the last quarter's median RSS must be within
 * `tolerance` (0.1 = 10%) of the second quarter's. Memory that grows with the records fails; so does a run
 * with too few samples to tell.
 */
export const judgeMemory = (
  samples: readonly MemorySample[],
  total: number,
  tolerance: number,
): MemoryVerdict => {
  const milestones = MILESTONES.flatMap((fraction) => {
    const target = Math.round(total * fraction);
    const sample = samples.find((s) => s.delivered >= target);
    return sample ? [{ target, ...sample }] : [];
  });
  const within = (from: number, to: number) =>
    samples.filter((s) => s.delivered >= total * from && s.delivered < total * to).map((s) => s.rssMb);
  const second = within(0.25, 0.5);
  const last = within(0.75, Number.POSITIVE_INFINITY);
  const secondMedian = median(second);
  const lastMedian = median(last);
  const growth = slope(samples.filter((s) => s.delivered >= total * 0.25).map((s) => [s.delivered, s.rssMb]));
  const verdict = {
    milestones,
    peakMb: samples.length === 0 ? undefined : Math.max(...samples.map((s) => s.rssMb)),
    secondQuarterMedianMb: round(secondMedian),
    lastQuarterMedianMb: round(lastMedian),
    growthMbPer10k: round(growth === undefined ? undefined : growth * 10_000, 2),
  };

  if (second.length < MIN_SAMPLES || last.length < MIN_SAMPLES || !secondMedian || lastMedian === undefined) {
    return {
      ...verdict,
      flat: false,
      explanation: `too few samples to judge (${second.length} in the second quarter, ${last.length} in the last; at least ${MIN_SAMPLES} each)`,
    };
  }
  const change = lastMedian / secondMedian - 1;
  const flat = change <= tolerance;
  const percent = `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
  return {
    ...verdict,
    flat,
    explanation: `${flat ? 'flat' : 'growing'}: last-quarter median ${lastMedian.toFixed(1)} MB vs second-quarter median ${secondMedian.toFixed(1)} MB (${percent}; at most +${(tolerance * 100).toFixed(0)}% allowed)`,
  };
};
