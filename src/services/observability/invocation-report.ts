import { channel } from 'node:diagnostics_channel';
import type { BatchSummary } from '../delivery/batch-delivery';
import { redactSecrets } from './redaction';

// Enough to diagnose an invocation without flooding the log during an outage.
const MAX_CAUSES = 10;
const MAX_EVENT_IDS = 10;

/** Records that failed for one reason, after the same number of attempts. */
export interface FailureCause {
  readonly reason: string;
  readonly attempts: number;
  /** How many records failed this way. */
  readonly records: number;
  /** The event IDs of the first of them, at most 10. */
  readonly eventIDs: readonly string[];
}

/** What one invocation came to: its totals (held back: behind a failed record of their lane; skipped: not started
 * as the circuit was open or no time was left; suppressed: known delivered by the ledger, not sent), the concurrency
 * limit it ended with, and why records failed. */
export interface InvocationReport
  extends Pick<
    BatchSummary,
    | 'received'
    | 'delivered'
    | 'failed'
    | 'heldBack'
    | 'skipped'
    | 'retries'
    | 'suppressed'
    | 'concurrencyLimit'
  > {
  /** The invocation reported on: a host running several at once tells their reports apart by it. */
  readonly awsRequestId: string;
  /** The most frequent causes first, at most 10; `failed` counts every failed record. */
  readonly causes: readonly FailureCause[];
}

/**
 * The channel on which each invocation's report is published, for a host running the function in its own process
 * (the local mode) to show. Nobody listens on Lambda, where publishing costs nothing. Subscribers are called in the
 * publisher's async context, which a host must not rely on to tell invocations apart: it has the request id.
 */
export const INVOCATION_REPORTS = 'kinesis-http-forwarder:invocation-report';
const reports = channel(INVOCATION_REPORTS);

/** Groups the failed records of a summary by reason and attempts, the most frequent cause first. */
export const failureCauses = (failures: BatchSummary['failures']): FailureCause[] => {
  const causes = new Map<string, { reason: string; attempts: number; records: number; eventIDs: string[] }>();
  for (const { eventID, attempts, reason } of failures) {
    const key = `${attempts} ${reason}`;
    let cause = causes.get(key);
    if (cause === undefined) {
      // Redacted like a log line: a host prints the reason without the logger's replacer.
      cause = { reason: redactSecrets('reason', reason) as string, attempts, records: 0, eventIDs: [] };
      causes.set(key, cause);
    }
    cause.records += 1;
    if (cause.eventIDs.length < MAX_EVENT_IDS) cause.eventIDs.push(eventID);
  }
  return [...causes.values()].sort((a, b) => b.records - a.records).slice(0, MAX_CAUSES);
};

/** The report of an invocation's summary. */
export const invocationReport = (summary: BatchSummary, awsRequestId: string): InvocationReport => ({
  awsRequestId,
  received: summary.received,
  delivered: summary.delivered,
  failed: summary.failed,
  heldBack: summary.heldBack,
  skipped: summary.skipped,
  retries: summary.retries,
  suppressed: summary.suppressed,
  concurrencyLimit: summary.concurrencyLimit,
  causes: failureCauses(summary.failures),
});

/** Publishes the report to a listening host, if any. */
export const publishInvocationReport = (report: InvocationReport): void => {
  if (reports.hasSubscribers) reports.publish(report);
};
