import type { KinesisStreamRecord } from 'aws-lambda';
import { Semaphore } from '../../lib/semaphore';
import { CircuitBreaker } from './circuit-breaker';
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

export type SessionParts = Omit<DeliverySession, 'deadlineSignal' | 'breaker' | 'semaphore' | 'stats'>;

/**
 * One invocation's delivery: starts every lane at once and hands out each record's outcome. The deadline timer
 * aborts whatever is still in flight, so every outcome settles before the deadline.
 */
export class BatchDelivery {
  readonly #outcomes = new Map<KinesisStreamRecord, Promise<RecordOutcome>>();
  readonly #session: DeliverySession;
  readonly #timer: NodeJS.Timeout;
  readonly #started: number;

  constructor(records: readonly KinesisStreamRecord[], parts: SessionParts) {
    const abort = new AbortController();
    this.#started = parts.now();
    this.#timer = setTimeout(() => abort.abort(), Math.max(0, parts.deadline - this.#started));
    this.#session = {
      ...parts,
      deadlineSignal: abort.signal,
      breaker: new CircuitBreaker(parts.config.breakerThreshold),
      semaphore: new Semaphore(parts.config.concurrency),
      stats: { retries: 0, latenciesMs: [] },
    };
    for (const lane of planLanes(records, parts.config.ordering)) this.#startLane(lane);
  }

  #startLane(lane: readonly KinesisStreamRecord[]): void {
    const settle = lane.map((record) => {
      const { promise, resolve } = Promise.withResolvers<RecordOutcome>();
      this.#outcomes.set(record, promise);
      return resolve;
    });
    const run = async () => {
      let blocker: string | undefined;
      for (const [index, record] of lane.entries()) {
        const resolve = settle[index] as (outcome: RecordOutcome) => void;
        if (blocker !== undefined) {
          resolve({ status: 'held-back', reason: `behind ${blocker}` });
          continue;
        }
        try {
          const outcome = await deliverRecord(record, this.#session);
          resolve(outcome);
          if (outcome.status !== 'delivered') blocker = `${record.eventID}, which was not delivered`;
        } catch (error) {
          // A bug must not lose the record: report it as failed, like any other undelivered record.
          resolve({ status: 'failed', attempts: 0, reason: `internal error: ${(error as Error).message}` });
          blocker = `${record.eventID}, which hit an internal error`;
        }
      }
    };
    void run();
  }

  /** The batch processor's record handler: resolves when the record was delivered, throws otherwise. */
  readonly forward = async (record: KinesisStreamRecord): Promise<void> => {
    const outcome = await this.#outcomes.get(record);
    if (outcome === undefined) throw new Error(`record ${record.eventID} is not part of this batch`);
    if (outcome.status !== 'delivered') throw new RecordNotDeliveredError(outcome);
  };

  /** Waits for every outcome, stops the deadline timer and returns the invocation's totals. */
  async finish(): Promise<BatchSummary> {
    const outcomes = await Promise.all(this.#outcomes.values());
    clearTimeout(this.#timer);
    const count = (status: RecordOutcome['status']) => outcomes.filter((o) => o.status === status).length;
    const failures = [...this.#outcomes.keys()].flatMap((record, index) => {
      const outcome = outcomes[index];
      return outcome?.status === 'failed'
        ? [{ eventID: record.eventID, attempts: outcome.attempts, reason: outcome.reason }]
        : [];
    });
    return {
      received: outcomes.length,
      delivered: count('delivered'),
      failed: failures.length,
      heldBack: count('held-back'),
      skipped: count('skipped'),
      retries: this.#session.stats.retries,
      circuitOpen: this.#session.breaker.isOpen,
      durationMs: this.#session.now() - this.#started,
      latenciesMs: this.#session.stats.latenciesMs,
      failures,
    };
  }
}
