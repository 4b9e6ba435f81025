import type { KinesisStreamRecord } from 'aws-lambda';
import { planLanes } from './lanes';
import { deliverRecord } from './record-delivery';
import { RecordNotDeliveredError, type RecordOutcome } from './record-outcome';
import type { DeliverySession } from './session';

/** Totals of one invocation. */
export interface BatchSummary {
  readonly received: number;
  readonly delivered: number;
  readonly failed: number;
  readonly heldBack: number;
  readonly skipped: number;
  readonly retries: number;
  readonly circuitOpen: boolean;
  readonly durationMs: number;
  readonly latenciesMs: readonly number[];
  /** Records that were attempted and not delivered, with why. */
  readonly failures: ReadonlyArray<{
    readonly eventID: string;
    readonly attempts: number;
    readonly reason: string;
  }>;
}

type Tally = Record<RecordOutcome['status'], number>;

/**
 * One invocation's delivery, driven by the batch processor: {@link deliver} is its record handler and does the
 * record's whole work. A record waits for the record ahead of it in its lane (same partition key, or the whole
 * shard) and is held back when that one was not delivered; each outcome goes straight to the totals and, unless
 * delivered, to the processor as a failure. Nothing is sent before the processor asks.
 */
export class BatchDelivery {
  // The record ahead of each record in its lane, and its outcome to come; lane heads have none.
  readonly #ahead = new Map<KinesisStreamRecord, { eventID: string; outcome: Promise<RecordOutcome> }>();
  readonly #settle = new Map<KinesisStreamRecord, (outcome: RecordOutcome) => void>();
  readonly #session: DeliverySession;
  readonly #started: number;
  readonly #tally: Tally = { delivered: 0, failed: 0, 'held-back': 0, skipped: 0 };
  readonly #failures: Array<BatchSummary['failures'][number]> = [];

  constructor(records: readonly KinesisStreamRecord[], session: DeliverySession) {
    this.#session = session;
    this.#started = session.now();
    for (const lane of planLanes(records, session.config.ordering)) {
      let ahead: { eventID: string; outcome: Promise<RecordOutcome> } | undefined;
      for (const record of lane) {
        if (ahead) this.#ahead.set(record, ahead);
        const { promise, resolve } = Promise.withResolvers<RecordOutcome>();
        this.#settle.set(record, resolve);
        ahead = { eventID: record.eventID, outcome: promise };
      }
    }
  }

  /** The batch processor's record handler: resolves once the record was delivered, throws otherwise. */
  readonly deliver = async (record: KinesisStreamRecord): Promise<void> => {
    const settle = this.#settle.get(record);
    if (settle === undefined)
      throw new Error(`record ${record.eventID} is not part of this batch, or was handled`);
    this.#settle.delete(record);
    const outcome = await this.#outcomeOf(record);
    settle(outcome);
    this.#tally[outcome.status] += 1;
    if (outcome.status === 'failed') {
      this.#failures.push({ eventID: record.eventID, attempts: outcome.attempts, reason: outcome.reason });
    }
    if (outcome.status !== 'delivered') throw new RecordNotDeliveredError(outcome);
  };

  async #outcomeOf(record: KinesisStreamRecord): Promise<RecordOutcome> {
    const ahead = this.#ahead.get(record);
    const outcomeAhead = await ahead?.outcome;
    if (ahead !== undefined && outcomeAhead !== undefined && outcomeAhead.status !== 'delivered') {
      // Every record held back names the first one of its lane that was not delivered.
      const reason =
        outcomeAhead.status === 'held-back'
          ? outcomeAhead.reason
          : `behind ${ahead.eventID}, which was not delivered`;
      return { status: 'held-back', reason };
    }
    try {
      return await deliverRecord(record, this.#session);
    } catch (error) {
      // A bug must not lose the record: report it as failed, like any other undelivered record.
      return { status: 'failed', attempts: 0, reason: `internal error: ${(error as Error).message}` };
    }
  }

  /** Stops the deadline timer and returns the invocation's totals. */
  finish(): BatchSummary {
    this.#session.close();
    const { stats, breaker, now } = this.#session;
    const tally = this.#tally;
    return {
      received: tally.delivered + tally.failed + tally['held-back'] + tally.skipped,
      delivered: tally.delivered,
      failed: tally.failed,
      heldBack: tally['held-back'],
      skipped: tally.skipped,
      retries: stats.retries,
      circuitOpen: breaker.isOpen,
      durationMs: now() - this.#started,
      latenciesMs: stats.latenciesMs,
      failures: this.#failures,
    };
  }
}
