/** What became of one record in this invocation. Anything but `delivered` is reported back to Lambda. */
export type RecordOutcome =
  | { readonly status: 'delivered'; readonly attempts: number; readonly latencyMs: number }
  /** Attempted and not delivered: a final status, attempts exhausted, or cut short by time or the breaker. */
  | { readonly status: 'failed'; readonly attempts: number; readonly reason: string }
  /** Not sent because an earlier record of the same lane was not delivered. */
  | { readonly status: 'held-back'; readonly reason: string }
  /** Not sent: the circuit was open or no time was left. */
  | { readonly status: 'skipped'; readonly reason: string };

/** Fails a record in the batch processor, which turns it into a `batchItemFailures` entry. */
export class RecordNotDeliveredError extends Error {
  override name = 'RecordNotDeliveredError';

  constructor(readonly outcome: Exclude<RecordOutcome, { status: 'delivered' }>) {
    // No stack: it would say nothing the outcome does not, and capturing one per record made settling a large
    // batch at the deadline cost tens of milliseconds.
    const { stackTraceLimit } = Error;
    Error.stackTraceLimit = 0;
    super(`${outcome.status}: ${outcome.reason}`);
    Error.stackTraceLimit = stackTraceLimit;
  }
}
