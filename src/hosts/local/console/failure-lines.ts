import { type InvocationOutcome, type NextAction, reportOf } from '../mapping/event-source-mapping';

const records = (count: number) => `${count} record${count === 1 ? '' : 's'}`;

/**
 * The lines a failed invocation of a shard's batch is shown with, instead of the function's JSON warnings: one per
 * cause the function reported (how many records, where to, why), then, for a retry, when and what is retried and how
 * much of it waits behind a failed record. Without a report (the function threw or timed out) the retry line says
 * what Lambda saw. A discard has a line of its own.
 */
export const failedInvocationLines = (
  shardId: string,
  receiver: string,
  outcome: InvocationOutcome,
  action: Exclude<NextAction, { kind: 'advance' }>,
): string[] => {
  const report = reportOf(outcome);
  const causes = report?.causes ?? [];
  const lines = causes.map(
    (cause) => `[local] ${shardId}: ${records(cause.records)} not delivered to ${receiver}: ${cause.reason}`,
  );
  const listed = causes.reduce((total, cause) => total + cause.records, 0);
  if (report !== undefined && report.failed > listed) {
    lines.push(`[local] ${shardId}: ${records(report.failed - listed)} not delivered for other reasons`);
  }
  if (action.kind !== 'retry') return lines;

  const retry = `retry ${action.batch.retries} of ${records(action.batch.records.length)} in ${action.delayMs} ms`;
  const waiting = [
    report?.heldBack ? `${report.heldBack} held back behind a failed record` : '',
    report?.skipped ? `${report.skipped} not started` : '',
  ].filter((part) => part !== '');
  const detail = waiting.length > 0 ? ` (${waiting.join(', ')})` : '';
  lines.push(`[local] ${shardId}: ${causes.length > 0 ? '' : `${action.reason}; `}${retry}${detail}`);
  return lines;
};
