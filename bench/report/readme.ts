import { shareMs, topShares, whatSetsThePace } from './explain';
import { batchFinding, ledgerFinding, loadControlFinding, tracingFinding, warmFinding } from './findings';
import { formatBytes, formatRatio, markdownTable } from './format';
import { machineLine, runLine } from './provenance';
import type { BenchResults } from './results';
import { comparisonTable, type Table, targetsTable } from './tables';
import { TARGET_LATENCY_MS } from './targets';

const md = (table: Table) => markdownTable(table.header, table.rows);

// What the run says about the targets, in words, from the same numbers as the tables.
const standing = (results: BenchResults): string => {
  const reference = results.comparisons.find((c) => c.latencyMs === TARGET_LATENCY_MS);
  if (!reference) {
    return `**Where it stands.** This run measured no ${TARGET_LATENCY_MS} ms latency, where the targets are judged.`;
  }
  const met = results.targets.filter((target) => target.status === 'PASS').length;
  const unmeasured = results.targets.filter((target) => target.status === 'NOT MEASURED').length;
  const profile = results.profiles?.thisFunction;
  return [
    `**Where it stands.** At ${TARGET_LATENCY_MS} ms receiver latency this function took ` +
      `${formatRatio(reference.timeVsFloor)} the floor's time, was ${formatRatio(reference.speedupVsOneAtATime)} ` +
      `faster than one at a time and used ${formatRatio(reference.cpuVsFloor)} the floor's CPU per record; it ` +
      `meets ${met} of the ${results.targets.length} targets` +
      (unmeasured > 0 ? ` (${unmeasured} not measured by this run).` : '.'),
    whatSetsThePace(results),
    profile ? `Where its CPU time went (self time): ${topShares(profile, 3, shareMs)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
};

/**
 * The Benchmarks section's generated part: the comparison, the targets, where the function stands, and what the
 * other rows (cold and warm, tracing, batch mode, adaptive concurrency, the ledger) say.
 */
export const renderReadmeSection = (results: BenchResults): string =>
  [
    `Measured with \`npm run bench\` (${runLine(results)}; ${machineLine(results)}). ${results.note}`,
    '',
    md(comparisonTable(results)),
    '',
    md(targetsTable(results)),
    '',
    standing(results),
    '',
    ...[warmFinding, tracingFinding, batchFinding, loadControlFinding, ledgerFinding]
      .map((finding) => finding(results))
      .filter(Boolean)
      .flatMap((finding) => [finding, '']),
    'Chart, all numbers, what was missed and why, and how it is measured: [BENCHMARKS.md](BENCHMARKS.md).',
  ].join('\n');

/** What the function's process peaked at with the largest batch, for the memory setting in Deploy. */
export const renderMemorySection = (results: BenchResults): string => {
  const cell = results.memory.find((c) => c.variant === 'this-function');
  if (!cell) return 'The committed `npm run bench` results hold no memory measurement of this function.';
  const { maxBatch } = results.workload;
  const runs = cell.peakRssBytes.runs === 1 ? 'one run' : `median of ${cell.peakRssBytes.runs} runs`;
  return (
    `In \`npm run bench\` (${results.date.slice(0, 10)}), one maximum-size batch (${maxBatch.records} records, a ` +
    `${formatBytes(maxBatch.eventBytes)} event) took the function's process from ` +
    `${formatBytes(cell.baselineRssBytes.median)} to a peak RSS of ${formatBytes(cell.peakRssBytes.median)} ` +
    `(its high-water mark, what Lambda reports as Max Memory Used; ${runs}, a local run of the bundle: see ` +
    '[BENCHMARKS.md](BENCHMARKS.md)).'
  );
};
