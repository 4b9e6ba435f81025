import { formatNumber, formatRatio } from './format';
import type { BenchResults, ThroughputCell } from './results';
import { settingsLatency } from './tables';
import { loadControlCell, TARGET_LATENCY_MS } from './targets';

// What the rows beyond the three-way comparison say, in words, from the same numbers as their tables. Each is empty
// when the results do not have the rows (older results).

const cellAt = (results: BenchResults, variant: ThroughputCell['variant'], latencyMs: number) =>
  results.throughput.find((c) => c.latencyMs === latencyMs && c.variant === variant);

const percent = (fraction: number) => `${formatNumber(fraction * 100)}%`;

/** Cold and warm CPU per record of this function, the floor and the peer at the targets' latency. */
export const warmFinding = (results: BenchResults): string => {
  const fn = cellAt(results, 'this-function', TARGET_LATENCY_MS);
  const floor = cellAt(results, 'floor', TARGET_LATENCY_MS);
  if (!fn?.warm || !floor?.warm) return '';
  const peer = cellAt(results, 'peer', TARGET_LATENCY_MS);
  const after = results.workload.warmAfterBatches ?? 20;
  return (
    `Over the standard workload at ${TARGET_LATENCY_MS} ms (its batches right after one warm-up batch, so the JIT ` +
    `is still compiling) this function used ${formatNumber(fn.cpuUsPerRecord.median)} µs of CPU per record and the ` +
    `floor ${formatNumber(floor.cpuUsPerRecord.median)} µs (${formatRatio(fn.cpuUsPerRecord.median / floor.cpuUsPerRecord.median)}); ` +
    `in the same processes after ${after} batches, warm, ${formatNumber(fn.warm.cpuUsPerRecord.median)} µs against ` +
    `${formatNumber(floor.warm.cpuUsPerRecord.median)} µs (${formatRatio(fn.warm.cpuUsPerRecord.median / floor.warm.cpuUsPerRecord.median)}).` +
    (peer?.warm
      ? ` The peer used ${formatNumber(peer.cpuUsPerRecord.median)} µs per record over the standard workload and ` +
        `${formatNumber(peer.warm.cpuUsPerRecord.median)} µs warm, at ${formatNumber(peer.recordsPerSecond.median)} ` +
        `records/s against this function's ${formatNumber(fn.recordsPerSecond.median)}.`
      : '')
  );
};

/** What tracing on as deployed costs over tracing off. */
export const tracingFinding = (results: BenchResults): string => {
  const latencyMs = settingsLatency(results);
  if (latencyMs === undefined) return '';
  const off = cellAt(results, 'this-function', latencyMs);
  const sampled = cellAt(results, 'traced-sampled', latencyMs);
  const unsampled = cellAt(results, 'traced-unsampled', latencyMs);
  const handlerOnly = cellAt(results, 'traced-handler-only', latencyMs);
  if (!off || !sampled || !unsampled) return '';
  const cpu = (cell: ThroughputCell) => formatRatio(cell.cpuUsPerRecord.median / off.cpuUsPerRecord.median);
  const time = (cell: ThroughputCell) =>
    formatRatio(off.recordsPerSecond.median / cell.recordsPerSecond.median);
  return (
    `With tracing on as deployed (the X-Ray SDK loaded, subsegments sent over UDP to a stand-in daemon) this ` +
    `function used ${cpu(sampled)} the CPU per record of tracing off with every trace sampled and ${cpu(unsampled)} ` +
    `with none sampled, and took ${time(sampled)} and ${time(unsampled)} its time, at ${latencyMs} ms; sampled, ` +
    `it sent ${formatNumber(sampled.segmentsPerRecord?.median ?? 0)} segments per record.` +
    (handlerOnly
      ? ` Sampled without a subsegment per request (\`POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS=false\`) it used ` +
        `${cpu(handlerOnly)} the CPU and took ${time(handlerOnly)} the time, sending ` +
        `${formatNumber(handlerOnly.segmentsPerRecord?.median ?? 0)} segments per record.`
      : '')
  );
};

/** Batch mode's records per second against a request per record. */
export const batchFinding = (results: BenchResults): string => {
  const latencyMs = settingsLatency(results);
  if (latencyMs === undefined) return '';
  const single = cellAt(results, 'this-function', latencyMs);
  const batched = cellAt(results, 'batched', latencyMs);
  if (!single || !batched) return '';
  return (
    `In batch mode (FORWARD_BATCH_MAX_RECORDS=100) it forwarded ${formatNumber(batched.recordsPerSecond.median)} ` +
    `records/s at ${latencyMs} ms, ${formatRatio(batched.recordsPerSecond.median / single.recordsPerSecond.median)} ` +
    `the ${formatNumber(single.recordsPerSecond.median)} of a request per record.`
  );
};

/** Adaptive concurrency against static, with the receiver's capacity and without. */
export const loadControlFinding = (results: BenchResults): string => {
  const { loadControl } = results;
  if (!loadControl || loadControl.cells.length === 0) return '';
  const ceiling = Math.max(...loadControl.cells.map((c) => c.concurrency));
  const { capacity } = loadControl;
  const adaptive = loadControlCell(loadControl, 'capacity', 'adaptive', ceiling);
  const staticK = loadControlCell(loadControl, 'capacity', 'static', capacity);
  const staticCeiling = loadControlCell(loadControl, 'capacity', 'static', ceiling);
  const free = loadControlCell(loadControl, 'unlimited', 'adaptive', ceiling);
  const freeStatic = loadControlCell(loadControl, 'unlimited', 'static', ceiling);
  if (!adaptive || !staticK) return '';
  const rps = (cell: { recordsPerSecond: { median: number } }) => formatNumber(cell.recordsPerSecond.median);
  return [
    `Against a receiver that serves ${capacity} requests at once and answers 503 beyond (${loadControl.latencyMs} ms, ` +
      `FORWARD_ORDERING=${loadControl.ordering}), adaptive concurrency with a ceiling of ${ceiling} forwarded ` +
      `${rps(adaptive)} records/s, ${percent(adaptive.recordsPerSecond.median / staticK.recordsPerSecond.median)} of ` +
      `a static ${capacity}'s ${rps(staticK)}, with ${percent(adaptive.refusedShare.median)} as many requests ` +
      `refused as delivered` +
      (staticCeiling
        ? `; a static ${ceiling} forwarded ${rps(staticCeiling)} records/s with ` +
          `${percent(staticCeiling.refusedShare.median)} refused.`
        : '.'),
    free && freeStatic
      ? `Against a receiver without limit adaptive forwarded ${rps(free)} records/s and a static ${ceiling} ` +
        `${rps(freeStatic)} (${formatRatio(free.recordsPerSecond.median / freeStatic.recordsPerSecond.median)}).`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
};

/** The ledger's duplicate rates under faults, with and without it. */
export const ledgerFinding = (results: BenchResults): string => {
  const cases = results.ledger?.cases ?? [];
  if (cases.length === 0) return '';
  const rates = (ledger: 'memory' | 'off') =>
    cases
      .filter((c) => c.ledger === ledger)
      .map((c) => `${c.ordering} ${percent(c.duplicateRate)}`)
      .join(', ');
  const lost = cases.reduce((sum, c) => sum + c.lost, 0);
  const outOfOrder = cases.reduce((sum, c) => sum + c.outOfOrder, 0);
  return (
    `Under the fault-injection suite's faults (seed \`${results.ledger?.seed}\`), the records delivered twice were, ` +
    `with the ledger in memory: ${rates('memory')}; without it: ${rates('off')}. ` +
    `${lost} records were lost and ${outOfOrder} delivered out of the order promised, over all ${cases.length} runs.`
  );
};
