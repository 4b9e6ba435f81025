import type { KinesisStreamRecord } from 'aws-lambda';
import { isObject } from '../../../lib/guards';
import type { InvocationReport } from '../../../services/observability/invocation-report';

/**
 * The rules Lambda's Kinesis event source mapping applies to a function's answer, as pure functions: no Kinesis,
 * no clock, no I/O. The local poller uses them; so can any test that needs to know "what Lambda would do next".
 */

/** The mapping's retry settings, with Lambda's meaning (-1 = no limit). */
export interface RetryPolicy {
  /** Retries of a batch before its remaining records are discarded; -1 retries until the records expire. */
  readonly maxRetryAttempts: number;
  /** Records older than this are discarded instead of invoked; -1 keeps them until the stream drops them. */
  readonly maxRecordAgeSeconds: number;
  /** Delay before the first retry; doubles with every further retry of the same batch. */
  readonly backoffBaseMs: number;
  /** Longest delay between two invocations of the same batch. */
  readonly backoffMaxMs: number;
}

/** Records read from one shard, in sequence-number order, and how often they were already retried. */
export interface PendingBatch {
  readonly records: readonly KinesisStreamRecord[];
  /** 0 for the first invocation; counts every retry of this batch, also after partial progress. */
  readonly retries: number;
}

/** What one invocation of the function came to. */
export type InvocationOutcome =
  /** `report` is what the function published of the invocation, when it did: the reasons Lambda never sees. */
  | { readonly kind: 'returned'; readonly response: unknown; readonly report?: InvocationReport }
  | { readonly kind: 'threw'; readonly error: unknown; readonly report?: InvocationReport }
  | { readonly kind: 'timed-out'; readonly timeoutMs: number };

/** What the function published of an invocation, if anything: nothing when it timed out. */
export const reportOf = (outcome: InvocationOutcome): InvocationReport | undefined =>
  outcome.kind === 'timed-out' ? undefined : outcome.report;

/** How Lambda reads a function's answer. */
export type Verdict =
  | { readonly kind: 'success' }
  /** `failedIndex` is the position of the lowest reported sequence number in the batch. */
  | { readonly kind: 'partial'; readonly failedIndex: number; readonly reported: number }
  | { readonly kind: 'failure'; readonly reason: string };

/** What the mapping does next with a batch. */
export type NextAction =
  /** Every record is done: checkpoint after the last one and read on. */
  | { readonly kind: 'advance'; readonly checkpoint: string; readonly done: readonly KinesisStreamRecord[] }
  /** Checkpoint after `done` (if any) and invoke `batch` again after `delayMs`. */
  | {
      readonly kind: 'retry';
      readonly checkpoint: string | undefined;
      readonly done: readonly KinesisStreamRecord[];
      readonly batch: PendingBatch;
      readonly delayMs: number;
      readonly reason: string;
    }
  /** Retries are used up: `discarded` go to the on-failure destination; checkpoint after the whole batch. */
  | {
      readonly kind: 'discard';
      readonly checkpoint: string;
      readonly done: readonly KinesisStreamRecord[];
      readonly discarded: readonly KinesisStreamRecord[];
      readonly reason: string;
    };

const describeError = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
};

const lastSequenceNumber = (records: readonly KinesisStreamRecord[]): string => {
  const last = records.at(-1);
  if (!last) throw new Error('a batch must hold at least one record');
  return last.kinesis.sequenceNumber;
};

/**
 * Reads a function's answer the way Lambda does with `ReportBatchItemFailures`: a missing, null or empty
 * `batchItemFailures` is success; an item whose `itemIdentifier` is missing, empty, not a string or not a
 * sequence number of this batch fails the whole batch; otherwise the lowest reported sequence number wins.
 */
export const judgeOutcome = (
  records: readonly KinesisStreamRecord[],
  outcome: InvocationOutcome,
): Verdict => {
  if (outcome.kind === 'threw')
    return { kind: 'failure', reason: `function error: ${describeError(outcome.error)}` };
  if (outcome.kind === 'timed-out') {
    return { kind: 'failure', reason: `function timed out after ${outcome.timeoutMs} ms` };
  }
  const { response } = outcome;
  if (
    !isObject(response) ||
    response.batchItemFailures === undefined ||
    response.batchItemFailures === null
  ) {
    return { kind: 'success' };
  }
  const failures = response.batchItemFailures;
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: 'invalid response: batchItemFailures is not an array' };
  }
  if (failures.length === 0) return { kind: 'success' };

  const indexBySequence = new Map(records.map((record, index) => [record.kinesis.sequenceNumber, index]));
  let failedIndex = Number.POSITIVE_INFINITY;
  for (const [position, item] of failures.entries()) {
    const identifier = isObject(item) ? item.itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return {
        kind: 'failure',
        reason: `invalid response: batchItemFailures[${position}].itemIdentifier is missing or empty`,
      };
    }
    const index = indexBySequence.get(identifier);
    if (index === undefined) {
      return {
        kind: 'failure',
        reason: `invalid response: batchItemFailures[${position}].itemIdentifier "${identifier}" is not a sequence number of this batch`,
      };
    }
    failedIndex = Math.min(failedIndex, index);
  }
  return { kind: 'partial', failedIndex, reported: failures.length };
};

/** Delay before retry number `retries + 1` of a batch: exponential, capped, no jitter (one reader per shard). */
export const retryDelay = (retries: number, policy: RetryPolicy): number =>
  Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** retries);

/**
 * Decides what follows an invocation of `batch`: advance past it, retry it (or what is left of it) after a
 * backoff, or discard what is left when the retries are used up.
 */
export const nextAction = (
  batch: PendingBatch,
  outcome: InvocationOutcome,
  policy: RetryPolicy,
): NextAction => {
  const { records } = batch;
  const verdict = judgeOutcome(records, outcome);
  if (verdict.kind === 'success') {
    return { kind: 'advance', checkpoint: lastSequenceNumber(records), done: records };
  }

  // Lambda checkpoints just before the lowest failed record and resumes there.
  const failedIndex = verdict.kind === 'partial' ? verdict.failedIndex : 0;
  const done = records.slice(0, failedIndex);
  const remaining = records.slice(failedIndex);
  const reason =
    verdict.kind === 'partial'
      ? `${verdict.reported} record(s) reported failed, resuming at sequence number ${remaining[0]?.kinesis.sequenceNumber}`
      : verdict.reason;

  if (policy.maxRetryAttempts !== -1 && batch.retries >= policy.maxRetryAttempts) {
    return {
      kind: 'discard',
      checkpoint: lastSequenceNumber(records),
      done,
      discarded: remaining,
      reason: `retry attempts exhausted (${policy.maxRetryAttempts}) after: ${reason}`,
    };
  }
  return {
    kind: 'retry',
    checkpoint: done.length > 0 ? lastSequenceNumber(done) : undefined,
    done,
    batch: { records: remaining, retries: batch.retries + 1 },
    delayMs: retryDelay(batch.retries, policy),
    reason,
  };
};

/**
 * Splits off the leading records older than the maximum record age at `nowMs`, which Lambda discards instead of
 * invoking. Records of a shard arrive in order, so the expired ones come first.
 */
export const dropExpired = (
  batch: PendingBatch,
  policy: RetryPolicy,
  nowMs: number,
): { readonly batch: PendingBatch; readonly expired: readonly KinesisStreamRecord[] } => {
  if (policy.maxRecordAgeSeconds === -1) return { batch, expired: [] };
  const oldestAllowed = nowMs / 1000 - policy.maxRecordAgeSeconds;
  const firstLive = batch.records.findIndex(
    (record) => record.kinesis.approximateArrivalTimestamp >= oldestAllowed,
  );
  const cut = firstLive === -1 ? batch.records.length : firstLive;
  if (cut === 0) return { batch, expired: [] };
  return { batch: { ...batch, records: batch.records.slice(cut) }, expired: batch.records.slice(0, cut) };
};
