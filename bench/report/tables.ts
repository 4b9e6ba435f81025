import type { Share } from '../harness/package-of';
import { COMPARED_VARIANTS, VARIANT_LABELS, type VariantName } from '../variants/variant';
import { formatBytes, formatNumber, formatRatio } from './format';
import type { BenchResults, LoadControlCell, ThroughputCell } from './results';
import { loadControlCell, TARGET_LATENCY_MS } from './targets';

/** A table as header and rows of text, rendered as plain text or Markdown by the caller. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

const range = (min: number, max: number) => `${formatNumber(min)}-${formatNumber(max)}`;
const percentage = (fraction: number) => `${formatNumber(fraction * 100)}%`;
const optionalRatio = (value: number | undefined) => (value === undefined ? '-' : formatRatio(value));

const cellOf = (results: BenchResults, variant: VariantName, latencyMs: number): ThroughputCell | undefined =>
  results.throughput.find((c) => c.latencyMs === latencyMs && c.variant === variant);

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

/**
 * The headline: this function against the floor, one-at-a-time and (when measured) the peer, per latency. The warm
 * and peer columns stand only when the results have them.
 */
export const comparisonTable = (results: BenchResults): Table => {
  const warm = results.comparisons.some((c) => c.warmCpuVsFloor !== undefined);
  const peer = results.comparisons.some((c) => c.timeVsPeer !== undefined);
  return {
    header: [
      'latency',
      'this function records/s',
      "time vs floor's",
      'faster than one at a time',
      "CPU vs floor's",
      ...(warm ? ["CPU vs floor's, warm"] : []),
      ...(peer ? ["time vs peer's", "CPU vs peer's"] : []),
    ],
    rows: results.comparisons.map((comparison) => {
      const cell = cellOf(results, 'this-function', comparison.latencyMs);
      return [
        `${comparison.latencyMs} ms`,
        cell ? formatNumber(cell.recordsPerSecond.median) : '-',
        formatRatio(comparison.timeVsFloor),
        formatRatio(comparison.speedupVsOneAtATime),
        formatRatio(comparison.cpuVsFloor),
        ...(warm ? [optionalRatio(comparison.warmCpuVsFloor)] : []),
        ...(peer ? [optionalRatio(comparison.timeVsPeer), optionalRatio(comparison.cpuVsPeer)] : []),
      ];
    }),
  };
};

/**
 * Cold and warm: the standard workload's batches (right after one warm-up batch, so JIT warm-up included) against
 * the same process's batches after 20, for every variant measured both ways. Undefined for older results.
 */
export const warmTable = (results: BenchResults): Table | undefined => {
  const cells = results.throughput.filter(
    (cell) => cell.warm !== undefined && (COMPARED_VARIANTS as readonly VariantName[]).includes(cell.variant),
  );
  if (cells.length === 0) return undefined;
  return {
    header: [
      'latency',
      'variant',
      'CPU µs/record, standard',
      'CPU µs/record, warm',
      'records/s, standard',
      'records/s, warm',
    ],
    rows: cells.map((cell) => [
      `${cell.latencyMs} ms`,
      VARIANT_LABELS[cell.variant],
      formatNumber(cell.cpuUsPerRecord.median),
      formatNumber(cell.warm?.cpuUsPerRecord.median ?? 0),
      formatNumber(cell.recordsPerSecond.median),
      formatNumber(cell.warm?.recordsPerSecond.median ?? 0),
    ]),
  };
};

/** The latency the function's other settings were measured at, if they were. */
export const settingsLatency = (results: BenchResults): number | undefined =>
  results.throughput.find((cell) => cell.variant === 'traced-sampled' || cell.variant === 'batched')
    ?.latencyMs;

const TRACING_ROW_LABELS = {
  'this-function': 'tracing off',
  'traced-unsampled': 'on, not sampled',
  'traced-sampled': 'on, sampled',
  'traced-handler-only': 'on, sampled, requests not traced',
} as const;

/** Tracing on as deployed, sampled and not, against tracing off. Undefined when the run did not measure it. */
export const tracingTable = (results: BenchResults): Table | undefined => {
  const latencyMs = settingsLatency(results) ?? TARGET_LATENCY_MS;
  const off = cellOf(results, 'this-function', latencyMs);
  const rows = (
    ['this-function', 'traced-unsampled', 'traced-sampled', 'traced-handler-only'] as const
  ).flatMap((variant) => {
    const cell = cellOf(results, variant, latencyMs);
    if (!cell || !off) return [];
    const warmRatio =
      cell.warm && off.warm
        ? formatRatio(cell.warm.cpuUsPerRecord.median / off.warm.cpuUsPerRecord.median)
        : '-';
    return [
      [
        TRACING_ROW_LABELS[variant],
        formatNumber(cell.recordsPerSecond.median),
        formatRatio(off.recordsPerSecond.median / cell.recordsPerSecond.median),
        formatNumber(cell.cpuUsPerRecord.median),
        formatRatio(cell.cpuUsPerRecord.median / off.cpuUsPerRecord.median),
        cell.warm ? formatNumber(cell.warm.cpuUsPerRecord.median) : '-',
        warmRatio,
        formatNumber(cell.segmentsPerRecord?.median ?? 0),
      ],
    ];
  });
  if (rows.length < 2) return undefined;
  return {
    header: [
      `tracing (at ${latencyMs} ms)`,
      'records/s',
      'time vs off',
      'CPU µs/record',
      'CPU vs off',
      'CPU µs/record, warm',
      'warm CPU vs off',
      'X-Ray segments/record',
    ],
    rows,
  };
};

/** Batch mode (100 records a request) against a request per record. Undefined when the run did not measure it. */
export const batchTable = (results: BenchResults): Table | undefined => {
  const latencyMs = settingsLatency(results) ?? TARGET_LATENCY_MS;
  const single = cellOf(results, 'this-function', latencyMs);
  const batched = cellOf(results, 'batched', latencyMs);
  if (!single || !batched) return undefined;
  const row = (label: string, cell: ThroughputCell) => [
    label,
    formatNumber(cell.recordsPerSecond.median),
    range(cell.recordsPerSecond.min, cell.recordsPerSecond.max),
    formatRatio(cell.recordsPerSecond.median / single.recordsPerSecond.median),
    formatNumber(cell.cpuUsPerRecord.median),
    cell.warm ? formatNumber(cell.warm.recordsPerSecond.median) : '-',
  ];
  return {
    header: [
      `requests (at ${latencyMs} ms)`,
      'records/s',
      'min-max',
      'vs per record',
      'CPU µs/record',
      'records/s, warm',
    ],
    rows: [row('a request per record (default)', single), row('batch mode, 100 records a request', batched)],
  };
};

/** How a load-control setup is named in tables and prose. */
export const loadControlLabel = (cell: Pick<LoadControlCell, 'mode' | 'concurrency'>): string =>
  cell.mode === 'adaptive' ? `adaptive, ceiling ${cell.concurrency}` : `static ${cell.concurrency}`;

/** Adaptive against static concurrency, against a receiver of limited capacity and one without limit. */
export const loadControlTable = (results: BenchResults): Table | undefined => {
  const { loadControl } = results;
  if (!loadControl || loadControl.cells.length === 0) return undefined;
  const ceiling = Math.max(...loadControl.cells.map((cell) => cell.concurrency));
  const reference = (cell: LoadControlCell) =>
    cell.receiver === 'capacity'
      ? loadControlCell(loadControl, 'capacity', 'static', loadControl.capacity)
      : loadControlCell(loadControl, 'unlimited', 'static', ceiling);
  return {
    header: [
      'receiver',
      'concurrency',
      'records/s (median)',
      'min-max',
      'vs static',
      'refused / delivered',
      'invocations/run',
      'CPU µs/record',
    ],
    rows: loadControl.cells.map((cell) => {
      const static_ = reference(cell);
      const invocations = cell.runs.map((run) => run.invocations).sort((a, b) => a - b);
      return [
        cell.receiver === 'capacity' ? `serves ${loadControl.capacity} at once, 503 beyond` : 'no limit',
        loadControlLabel(cell),
        formatNumber(cell.recordsPerSecond.median),
        range(cell.recordsPerSecond.min, cell.recordsPerSecond.max),
        static_ ? formatRatio(cell.recordsPerSecond.median / static_.recordsPerSecond.median) : '-',
        percentage(cell.refusedShare.median),
        `${invocations[Math.floor(invocations.length / 2)] ?? 0} (${cell.runs[0]?.records ?? 0} records)`,
        formatNumber(cell.cpuUsPerRecord.median),
      ];
    }),
  };
};

/** The ledger's duplicates under faults, every ordering mode with and without it. */
export const ledgerTable = (results: BenchResults): Table | undefined => {
  const cases = results.ledger?.cases ?? [];
  if (cases.length === 0) return undefined;
  return {
    header: [
      'FORWARD_ORDERING',
      'FORWARD_LEDGER',
      'records',
      'duplicates',
      'duplicate rate',
      'lost',
      'out of order',
      'invocations (retried)',
    ],
    rows: cases.map((c) => [
      c.ordering,
      c.ledger,
      String(c.records),
      String(c.duplicates),
      percentage(c.duplicateRate),
      String(c.lost),
      c.ordering === 'none' ? '- (none promised)' : String(c.outOfOrder),
      `${c.invocations} (${c.retriedBatches})`,
    ]),
  };
};

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

/** Bundle size and cold-start load time, with the deployed settings and the peer's when measured. */
export const startupTable = (results: BenchResults): Table => {
  const { bundle, load } = results;
  const ms = (value: number) => `${formatNumber(value)} ms`;
  return {
    header: ['measure', 'value'],
    rows: [
      ['dist/handler.js size', `${formatBytes(bundle.bytes)} (${bundle.bytes} bytes)`],
      ...(bundle.peerBytes === undefined
        ? []
        : [['peer bundle size', `${formatBytes(bundle.peerBytes)} (${bundle.peerBytes} bytes)`]]),
      ['require() of the empty handler (median)', ms(load.emptyMs.median)],
      ['require() of dist/handler.js (median)', ms(load.functionMs.median)],
      ['load time over the empty handler', ms(load.overEmptyMs)],
      ...(load.deployed
        ? [
            ['deployed settings: require() of the empty handler', ms(load.deployed.emptyMs.median)],
            ['deployed settings: require() of dist/handler.js', ms(load.deployed.functionMs.median)],
            ['deployed settings: load time over the empty handler', ms(load.deployed.overEmptyMs)],
            ['deployed settings: the peer over the empty handler', ms(load.deployed.peerOverEmptyMs)],
          ]
        : []),
    ],
  };
};

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
