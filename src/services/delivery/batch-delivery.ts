import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { MinHeap } from '../../lib/min-heap';
import { type Item, itemsOf } from '../records/items';
import { planLanes } from './lanes';
import { resumeKey } from './ledger';
import { RecordNotDeliveredError, type RecordOutcome } from './record-outcome';
import { batchBytes, buildRequest, type Rendered, type Request, renderItem } from './request';
import { deliverRequest, type RequestOutcome } from './request-delivery';
import type { DeliverySession } from './session';

/** Totals of one invocation. */
export interface BatchSummary {
  readonly received: number;
  readonly delivered: number;
  readonly failed: number;
  readonly heldBack: number;
  readonly skipped: number;
  readonly retries: number;
  /** HTTP requests made (retries not counted); fewer than records in batch mode. */
  readonly requests: number;
  /** Records (or user records) not sent because the ledger knew they were delivered in an earlier invocation. */
  readonly suppressed: number;
  /** Answers that said the receiver was overloaded (429, 503). */
  readonly refused: number;
  /** Requests in flight the concurrency limit allowed at the end. */
  readonly concurrencyLimit: number;
  /**
   * The batch processor's response named other records than those not delivered, and was answered with those
   * instead (see {@link BatchDelivery.respond}).
   */
  readonly responseCorrected: boolean;
  /** Time requests waited because the receiver asked everyone to (Retry-After). */
  readonly pausedMs: number;
  /** Why the delivery ledger could not be read or written, when it could not; delivery went on without it. */
  readonly ledgerProblem: string | undefined;
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

interface Lane {
  readonly items: readonly Item[];
  /** The first item not yet sent. */
  next: number;
  /** In a request now: nothing more of it goes out until that request settles. */
  busy: boolean;
}

const nextPosition = (lane: Lane): number => lane.items[lane.next]?.position ?? Number.POSITIVE_INFINITY;

// What a record's outcome is, from its items': delivered when they all were, otherwise the first that was not.
const combine = (outcomes: readonly RecordOutcome[]): RecordOutcome => {
  const undelivered = outcomes.find((outcome) => outcome.status !== 'delivered');
  if (undelivered) return undelivered;
  const attempts = Math.max(
    0,
    ...outcomes.map((outcome) => (outcome.status === 'delivered' ? outcome.attempts : 0)),
  );
  const latencyMs = Math.max(
    0,
    ...outcomes.map((outcome) => (outcome.status === 'delivered' ? outcome.latencyMs : 0)),
  );
  return { status: 'delivered', attempts, latencyMs };
};

/**
 * One invocation's delivery. {@link run} sends the records' items (the records themselves, or the user records of KPL
 * aggregates) in requests of one item, or of up to `FORWARD_BATCH_MAX_RECORDS` items and `FORWARD_BATCH_MAX_BYTES`
 * bytes, in stream order. A lane (a partition key, the shard, or each item alone) is in one request at a time and
 * stops at its first item not delivered; the rest of it is held back. Each record's outcome is settled once: it goes
 * to the totals, and a record not delivered to the batch processor through {@link report}, which builds Lambda's
 * partial batch response from those alone.
 */
export class BatchDelivery {
  readonly #session: DeliverySession;
  readonly #started: number;
  readonly #records: readonly KinesisStreamRecord[];
  readonly #alreadyDelivered: ReadonlySet<string>;
  readonly #laneOf = new Map<Item, Lane>();
  readonly #itemsOf = new Map<KinesisStreamRecord, Item[]>();
  readonly #itemOutcomes = new Map<Item, RecordOutcome>();
  readonly #recordOutcomes = new Map<KinesisStreamRecord, RecordOutcome>();
  // Lanes free to go, by the position of their next item.
  readonly #ready = new MinHeap<Lane>(nextPosition);
  readonly #settled = Promise.withResolvers<void>();
  readonly #tally: Tally = { delivered: 0, failed: 0, 'held-back': 0, skipped: 0 };
  readonly #failures: Array<BatchSummary['failures'][number]> = [];
  #unsettled: number;
  #ledgerProblem: string | undefined;
  #undelivered: readonly KinesisStreamRecord[] = [];
  #responseCorrected = false;

  /**
   * @param alreadyDelivered ids the delivery ledger knows were delivered in an earlier invocation: settled as
   *   delivered without being sent.
   * @param ledgerProblem why the ledger could not be read, when it could not.
   */
  constructor(
    records: readonly KinesisStreamRecord[],
    session: DeliverySession,
    alreadyDelivered: ReadonlySet<string> = new Set(),
    ledgerProblem?: string,
  ) {
    this.#session = session;
    this.#records = records;
    this.#alreadyDelivered = alreadyDelivered;
    this.#ledgerProblem = ledgerProblem;
    this.#started = session.now();
    this.#unsettled = records.length;
    const items = itemsOf(records, session.config);
    for (const record of records) this.#itemsOf.set(record, []);
    for (const item of items) this.#itemsOf.get(item.record)?.push(item);
    for (const laneItems of planLanes(items, session.config.ordering)) {
      const lane: Lane = { items: laneItems, next: 0, busy: false };
      for (const item of laneItems) this.#laneOf.set(item, lane);
      this.#ready.push(lane);
    }
  }

  /** Delivers the batch; resolves, once every record is settled, with the records not delivered, in batch order. */
  async run(): Promise<KinesisStreamRecord[]> {
    // A record of an aggregate that held no user records has nothing to send: it is delivered as it is.
    for (const [record, items] of this.#itemsOf) {
      if (items.length === 0) this.#settleRecord(record, { status: 'delivered', attempts: 0, latencyMs: 0 });
    }
    this.#pump();
    if (this.#unsettled > 0) await this.#settled.promise;
    const undelivered: KinesisStreamRecord[] = [];
    for (const record of this.#records) {
      const outcome = this.#recordOutcomes.get(record) as RecordOutcome;
      this.#tally[outcome.status] += 1;
      if (outcome.status === 'delivered') continue;
      undelivered.push(record);
      if (outcome.status === 'failed') {
        this.#failures.push({ eventID: record.eventID, attempts: outcome.attempts, reason: outcome.reason });
      }
    }
    this.#undelivered = undelivered;
    return undelivered;
  }

  /**
   * Lambda's answer for the batch: the batch processor's response, once checked to name exactly the records
   * {@link run} did not deliver, or else those records. Invocations that run at once keep the processor's state in
   * Lambda's InvokeStore, and one seen in another's context (Node 24, the local mode under load) reported that
   * invocation's failures as its own and none of its own: its undelivered records would have been checkpointed.
   */
  respond(response: KinesisStreamBatchResponse): KinesisStreamBatchResponse {
    const named = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const expected = this.#undelivered.map((record) => record.kinesis.sequenceNumber);
    if (named.size === expected.length && expected.every((sequenceNumber) => named.has(sequenceNumber))) {
      return response;
    }
    this.#responseCorrected = true;
    return { batchItemFailures: expected.map((itemIdentifier) => ({ itemIdentifier })) };
  }

  /** The batch processor's record handler for a record {@link run} did not deliver: fails it with its outcome. */
  readonly report = async (record: KinesisStreamRecord): Promise<void> => {
    const outcome = this.#recordOutcomes.get(record);
    if (outcome?.status === 'delivered') return;
    throw new RecordNotDeliveredError(
      outcome ?? {
        status: 'failed',
        attempts: 0,
        reason: `record ${record.eventID} is not part of this batch`,
      },
    );
  };

  /**
   * Stops the deadline timer, tells the ledger what was delivered after the lowest failed record (what Lambda will
   * send again), and returns the invocation's totals.
   */
  async finish(): Promise<BatchSummary> {
    const { pausedMs } = this.#session.close();
    await this.#rememberDelivered();
    const { stats, breaker, limit, now } = this.#session;
    const tally = this.#tally;
    return {
      received: this.#records.length,
      delivered: tally.delivered,
      failed: tally.failed,
      heldBack: tally['held-back'],
      skipped: tally.skipped,
      retries: stats.retries,
      requests: stats.requests,
      suppressed: stats.suppressed,
      refused: stats.refused,
      concurrencyLimit: limit.current(),
      responseCorrected: this.#responseCorrected,
      pausedMs,
      ledgerProblem: this.#ledgerProblem,
      circuitOpen: breaker.isOpen,
      durationMs: now() - this.#started,
      latenciesMs: stats.latenciesMs,
      failures: this.#failures,
    };
  }

  // Sends what can go now: requests for every lane that is free.
  #pump(): void {
    for (let request = this.#nextRequest(); request; request = this.#nextRequest()) void this.#send(request);
  }

  // The next request: items in stream order from the ready lanes, a lane's items consecutively, within the limits.
  #nextRequest(): Request | undefined {
    const { config } = this.#session;
    const items: Item[] = [];
    const rendered: Rendered[] = [];
    let bytes = 0;
    // Lanes already in this request that have more to give; only this request may take their next items.
    const joined = new MinHeap<Lane>(nextPosition);
    for (;;) {
      const fromJoined = joined.size > 0 ? nextPosition(joined.peek() as Lane) : Number.POSITIVE_INFINITY;
      const fromReady =
        this.#ready.size > 0 ? nextPosition(this.#ready.peek() as Lane) : Number.POSITIVE_INFINITY;
      if (fromJoined === Number.POSITIVE_INFINITY && fromReady === Number.POSITIVE_INFINITY) break;
      const lane = (fromJoined <= fromReady ? joined.pop() : this.#ready.pop()) as Lane;
      const item = lane.items[lane.next] as Item;
      if (this.#alreadyDelivered.has(item.id)) {
        // Delivered in an earlier invocation, after every item of its lane ahead of it: no need to send it again.
        this.#settleItem(item, { status: 'delivered', attempts: 0, latencyMs: 0 });
        this.#session.stats.suppressed += 1;
        lane.next += 1;
        if (lane.next < lane.items.length) (lane.busy ? joined : this.#ready).push(lane);
        continue;
      }
      if (item.refused !== undefined) {
        // Refused items fail without being sent, and stop their lane.
        this.#settleItem(item, { status: 'failed', attempts: 0, reason: item.refused });
        lane.next += 1;
        this.#block(lane, item);
        continue;
      }
      const part = renderItem(item, config, config.batchMaxRecords === 1);
      const fits =
        items.length === 0 ||
        (items.length < config.batchMaxRecords &&
          batchBytes(config, items.length + 1, bytes + part.bytes) <= config.batchMaxBytes);
      if (!fits) {
        // Full: this lane goes on in a later request, unless the request already holds some of it.
        if (!lane.busy) this.#ready.push(lane);
        break;
      }
      items.push(item);
      rendered.push(part);
      bytes += part.bytes;
      lane.busy = true;
      lane.next += 1;
      if (lane.next < lane.items.length) joined.push(lane);
    }
    if (items.length === 0) return undefined;
    this.#session.stats.requests += 1;
    return buildRequest(items, rendered, config, this.#session.userAgent);
  }

  async #send(request: Request): Promise<void> {
    let outcome: RequestOutcome;
    try {
      outcome = await deliverRequest(request, this.#session);
    } catch (error) {
      // A bug must not lose the records: report them as failed, like any other undelivered record.
      outcome = { status: 'failed', attempts: 0, reason: `internal error: ${(error as Error).message}` };
    }
    const blockedBy = new Map<Lane, Item>();
    for (const item of request.items) {
      const lane = this.#laneOf.get(item) as Lane;
      const blocker = blockedBy.get(lane);
      if (blocker !== undefined) {
        // Behind an item of its lane that was not delivered, in this same request.
        this.#settleItem(item, {
          status: 'held-back',
          reason: `behind ${blocker.id}, which was not delivered`,
        });
        continue;
      }
      const own = this.#itemOutcome(item, outcome);
      this.#settleItem(item, own);
      if (own.status !== 'delivered') blockedBy.set(lane, item);
    }
    for (const item of request.items) {
      const lane = this.#laneOf.get(item) as Lane;
      if (!lane.busy) continue;
      lane.busy = false;
      const blocker = blockedBy.get(lane);
      if (blocker !== undefined) this.#block(lane, blocker);
      else if (lane.next < lane.items.length) this.#ready.push(lane);
    }
    this.#pump();
  }

  #itemOutcome(item: Item, outcome: RequestOutcome): RecordOutcome {
    if (outcome.status !== 'delivered') return outcome;
    if (outcome.rejected.has(item.id)) {
      return {
        status: 'failed',
        attempts: outcome.attempts,
        reason: 'the receiver did not accept it (its per-item result)',
      };
    }
    return { status: 'delivered', attempts: outcome.attempts, latencyMs: outcome.latencyMs };
  }

  // Holds back what is left of a lane behind an item that was not delivered.
  #block(lane: Lane, blocker: Item): void {
    const reason = `behind ${blocker.id}, which was not delivered`;
    for (const item of lane.items.slice(lane.next)) this.#settleItem(item, { status: 'held-back', reason });
    lane.next = lane.items.length;
  }

  // After a partial failure Lambda resends the batch from its lowest failed record: remember what of that part was
  // delivered, under that record's key, so that the next invocation need not send it again.
  async #rememberDelivered(): Promise<void> {
    const failedAt = this.#records.findIndex(
      (record) => this.#recordOutcomes.get(record)?.status !== 'delivered',
    );
    const resumeAt = this.#records[failedAt];
    if (resumeAt === undefined) return;
    const delivered = this.#records
      .slice(failedAt)
      .flatMap((record) => this.#itemsOf.get(record) ?? [])
      .filter((item) => this.#itemOutcomes.get(item)?.status === 'delivered')
      .map((item) => item.id);
    if (delivered.length === 0) return;
    const { deadline, config, now, ledger } = this.#session;
    // Within the deadline's margin, of which half is left for the answer.
    const limitMs = Math.min(1000, deadline + config.deadlineMarginMs / 2 - now());
    const problem = await ledger.remember(resumeKey(resumeAt), delivered, limitMs);
    if (problem !== undefined) this.#ledgerProblem ??= problem.problem;
  }

  #settleItem(item: Item, outcome: RecordOutcome): void {
    this.#itemOutcomes.set(item, outcome);
    const siblings = this.#itemsOf.get(item.record) as Item[];
    if (siblings.length === 1) {
      this.#settleRecord(item.record, outcome);
      return;
    }
    const outcomes: RecordOutcome[] = [];
    for (const sibling of siblings) {
      const settled = this.#itemOutcomes.get(sibling);
      if (settled === undefined) return;
      outcomes.push(settled);
    }
    this.#settleRecord(item.record, combine(outcomes));
  }

  #settleRecord(record: KinesisStreamRecord, outcome: RecordOutcome): void {
    if (this.#recordOutcomes.has(record)) return;
    this.#recordOutcomes.set(record, outcome);
    this.#unsettled -= 1;
    if (this.#unsettled === 0) this.#settled.resolve();
  }
}
