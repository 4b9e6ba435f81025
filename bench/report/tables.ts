import type { Share } from '../harness/package-of';
import { VARIANT_LABELS } from '../variants/variant';
import { formatBytes, formatNumber, formatRatio } from './format';
import type { BenchResults } from './results';

/** A table as header and rows of text, rendered as plain text or Markdown by the caller. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

const range = (min: number, max: number) => `${formatNumber(min)}-${formatNumber(max)}`;

/** Records per second and CPU per record of every variant at every latency. */
export const throughputTable = (results: BenchResults): Table => ({
  header: ['latency', 'variant', 'records/s (median)', 'min-max', 'CPU µs/record', 'CPU busy', 'records/run'],
  rows: results.throughput.map((cell) => [
    `${cell.latencyMs} ms`,
    VARIANT_LABELS[cell.variant],
    formatNumber(cell.recordsPerSecond.median),
    range(cell.recordsPerSecond.min, cell.recordsPerSecond.max),
    formatNumber(cell.cpuUsPerRecord.median),
    `${Math.round(cell.cpuBusy.median * 100)}%`,
    String(cell.recordsPerRun),
  ]),
});

/** The headline: this function against the floor and one-at-a-time, per latency. */
export const comparisonTable = (results: BenchResults): Table => ({
  header: [
    'latency',
    'this function records/s',
    "time vs floor's",
    'faster than one at a time',
    "CPU vs floor's",
  ],
  rows: results.comparisons.map((comparison) => {
    const cell = results.throughput.find(
      (c) => c.latencyMs === comparison.latencyMs && c.variant === 'this-function',
    );
    return [
      `${comparison.latencyMs} ms`,
      cell ? formatNumber(cell.recordsPerSecond.median) : '-',
      formatRatio(comparison.timeVsFloor),
      formatRatio(comparison.speedupVsOneAtATime),
      formatRatio(comparison.cpuVsFloor),
    ];
  }),
});

/** Memory for one maximum-size batch. */
export const memoryTable = (results: BenchResults): Table => ({
  header: ['variant', 'RSS before', 'peak RSS', 'heap before', 'peak heap'],
  rows: results.memory.map((cell) => [
    VARIANT_LABELS[cell.variant],
    formatBytes(cell.baselineRssBytes.median),
    formatBytes(cell.peakRssBytes.median),
    formatBytes(cell.baselineHeapBytes.median),
    formatBytes(cell.peakHeapBytes.median),
  ]),
});

/** Bundle size and cold-start load time. */
export const startupTable = (results: BenchResults): Table => ({
  header: ['measure', 'value'],
  rows: [
    ['dist/handler.js size', `${formatBytes(results.bundle.bytes)} (${results.bundle.bytes} bytes)`],
    ['require() of the empty handler (median)', `${formatNumber(results.load.emptyMs.median)} ms`],
    ['require() of dist/handler.js (median)', `${formatNumber(results.load.functionMs.median)} ms`],
    ['load time over the empty handler', `${formatNumber(results.load.overEmptyMs)} ms`],
  ],
});

/** The performance targets with PASS or MISS. */
export const targetsTable = (results: BenchResults): Table => ({
  header: ['target', 'measured', 'result'],
  rows: results.targets.map((t) => [
    t.target,
    t.measured === undefined ? '-' : `${formatNumber(t.measured)}${t.unit}`,
    t.status === 'MISS' ? `MISS: ${t.missedBy}` : t.status,
  ]),
});

/** The largest parts of a breakdown, the rest summed up. */
export const shareTable = (
  title: string,
  shares: readonly Share[],
  unit: (amount: number) => string,
  top = 8,
): Table => {
  const shown = shares.slice(0, top);
  const rest = shares.slice(top);
  const restAmount = rest.reduce((sum, share) => sum + share.amount, 0);
  const restShare = rest.reduce((sum, share) => sum + share.share, 0);
  const row = (name: string, amount: number, share: number) => [
    name,
    unit(amount),
    `${(share * 100).toFixed(1)}%`,
  ];
  return {
    header: [title, 'amount', 'share'],
    rows: [
      ...shown.map((s) => row(s.name, s.amount, s.share)),
      ...(rest.length > 0 ? [row(`${rest.length} more`, restAmount, restShare)] : []),
    ],
  };
};
