import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerMode, OrderingMode } from '../../src/config';
import type { DeliveryAudit } from './delivery-audit';
import type { InvocationLog } from './event-source-simulation';
import type { Fault } from './faulty-receiver';

/** The numbers of one chaos run, as printed and written to .local/chaos/. */
export interface ChaosSummary {
  readonly seed: string;
  readonly ordering: OrderingMode;
  /** FORWARD_LEDGER: whether what was delivered of a retried batch is remembered. */
  readonly ledger: LedgerMode;
  readonly records: number;
  readonly keys: number;
  readonly shards: number;
  readonly batchSize: number;
  readonly timeoutMs: number;
  /** When the function stops sending: the timeout less FORWARD_DEADLINE_MARGIN_MS. */
  readonly deadlineMs: number;
  readonly elapsedMs: number;
  readonly invocations: number;
  /** Invocations after which the mapping retried (part of) the batch. */
  readonly retriedBatches: number;
  readonly timedOut: number;
  /** Invocations that ran to within 100 ms of their deadline: the time budget, not the batch, ended them. */
  readonly reachedDeadline: number;
  readonly longestInvocationMs: number;
  readonly medianInvocationMs: number;
  readonly faults: Record<Fault, number>;
  readonly requests: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly duplicateRate: number;
  readonly mostRequestsForOneRecord: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const summarize = (
  run: Pick<
    ChaosSummary,
    | 'seed'
    | 'ordering'
    | 'ledger'
    | 'records'
    | 'keys'
    | 'shards'
    | 'batchSize'
    | 'timeoutMs'
    | 'deadlineMs'
    | 'elapsedMs'
  >,
  invocations: readonly InvocationLog[],
  faults: Record<Fault, number>,
  audit: DeliveryAudit,
): ChaosSummary => {
  const durations = invocations.map((invocation) => invocation.durationMs);
  return {
    ...run,
    invocations: invocations.length,
    retriedBatches: invocations.filter((invocation) => invocation.action === 'retry').length,
    timedOut: invocations.filter((invocation) => invocation.outcome === 'timed-out').length,
    reachedDeadline: durations.filter((duration) => duration >= run.deadlineMs - 100).length,
    longestInvocationMs: Math.round(Math.max(0, ...durations)),
    medianInvocationMs: Math.round(median(durations)),
    faults,
    requests: audit.requests,
    accepted: audit.accepted,
    duplicates: audit.duplicates,
    duplicateRate: Number(audit.duplicateRate.toFixed(4)),
    mostRequestsForOneRecord: audit.mostRequestsForOneRecord,
  };
};

/** A few lines for the test output. */
export const formatSummary = (s: ChaosSummary): string => {
  const faults = Object.entries(s.faults)
    .map(([fault, count]) => `${fault} ${count}`)
    .join(', ');
  return [
    `chaos FORWARD_ORDERING=${s.ordering} FORWARD_LEDGER=${s.ledger} seed=${s.seed} (CHAOS_SEED overrides): ${s.records} records, ${s.keys} keys, ${s.shards} shards, batch ${s.batchSize}, timeout ${s.timeoutMs} ms`,
    `  ${s.invocations} invocations (${s.retriedBatches} retried, ${s.reachedDeadline} ran to the deadline at ${s.deadlineMs} ms, ${s.timedOut} timed out), longest ${s.longestInvocationMs} ms, median ${s.medianInvocationMs} ms, run ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  ${s.requests} requests: ${faults}`,
    `  ${s.accepted} accepted, ${s.duplicates} duplicates: duplicate rate ${(s.duplicateRate * 100).toFixed(1)}%, most requests for one record ${s.mostRequestsForOneRecord}`,
  ].join('\n');
};

/** Writes the summary to `.local/chaos/<ordering>-ledger-<ledger>.json` under the repository root; returns the path. */
export const writeSummary = async (summary: ChaosSummary): Promise<string> => {
  const folder = join(__dirname, '..', '..', '.local', 'chaos');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${summary.ordering}-ledger-${summary.ledger}.json`);
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  return path;
};
