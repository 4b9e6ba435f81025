import { formatBytes, formatMicrosAsMs, textTable } from './format';
import { machineLine } from './provenance';
import type { BenchResults } from './results';
import {
  batchTable,
  comparisonTable,
  ledgerTable,
  loadControlTable,
  memoryTable,
  shareTable,
  startupTable,
  type Table,
  targetsTable,
  throughputTable,
  tracingTable,
  warmTable,
} from './tables';

const text = (title: string, table: Table) => `${title}\n${textTable(table.header, table.rows)}\n`;
const optional = (title: string, table: Table | undefined) =>
  table === undefined ? [] : [text(title, table)];

/** The results as plain-text tables, for the terminal. */
export const formatConsoleReport = (results: BenchResults): string => {
  const sections = [
    `\nkinesis-http-forwarder bench, ${results.date} (${results.durationSeconds} s)`,
    machineLine(results),
    `${results.note}\n`,
    text('Throughput (medians of the runs)', throughputTable(results)),
    text('This function compared', comparisonTable(results)),
    ...optional('Cold (standard workload) and warm (after 20 batches)', warmTable(results)),
    ...optional('Tracing on as deployed', tracingTable(results)),
    ...optional('Batch mode', batchTable(results)),
    ...optional('Adaptive and static concurrency', loadControlTable(results)),
    ...optional('The delivery ledger under injected faults', ledgerTable(results)),
    text(
      `Memory for one maximum-size batch (${formatBytes(results.workload.maxBatch.eventBytes)} event)`,
      memoryTable(results),
    ),
    text('Bundle and cold start', startupTable(results)),
    text('Bundle by package', shareTable('package', results.bundle.packages, formatBytes)),
  ];
  if (results.profiles) {
    const { profiles } = results;
    sections.push(
      text(
        `CPU profile, this function at ${profiles.latencyMs} ms`,
        shareTable('where', profiles.thisFunction, formatMicrosAsMs),
      ),
      text(
        `CPU profile, floor at ${profiles.latencyMs} ms`,
        shareTable('where', profiles.floor, formatMicrosAsMs),
      ),
      text(
        'CPU profile, loading dist/handler.js (by causing package)',
        shareTable('where', profiles.load, formatMicrosAsMs),
      ),
    );
  }
  sections.push(text('Targets', targetsTable(results)));
  return `${sections.join('\n')}\n`;
};
