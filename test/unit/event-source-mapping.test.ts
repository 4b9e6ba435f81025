import type { KinesisStreamRecord } from 'aws-lambda';
import {
  dropExpired,
  type InvocationOutcome,
  judgeOutcome,
  nextAction,
  type PendingBatch,
  type RetryPolicy,
  retryDelay,
} from '../../src/hosts/local/mapping/event-source-mapping';
import { kinesisRecord } from '../helpers/records';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  ...overrides,
});

const seq = (record: KinesisStreamRecord) => record.kinesis.sequenceNumber;

const batchOf = (count: number, retries = 0): PendingBatch => ({
  records: Array.from({ length: count }, () => kinesisRecord()),
  retries,
});

// Named records, so no test needs to index into an array.
const five = () =>
  [kinesisRecord(), kinesisRecord(), kinesisRecord(), kinesisRecord(), kinesisRecord()] as const;

const returned = (response: unknown): InvocationOutcome => ({ kind: 'returned', response });
const failing = (...records: KinesisStreamRecord[]) =>
  returned({ batchItemFailures: records.map((record) => ({ itemIdentifier: seq(record) })) });

describe('judgeOutcome: how Lambda reads the answer', () => {
  const [first, second, third] = five();
  const records = [first, second, third];

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['batchItemFailures: null', { batchItemFailures: null }],
    ['batchItemFailures: []', { batchItemFailures: [] }],
    ['a string', 'done'],
  ])('treats %s as full success', (_, response) => {
    expect(judgeOutcome(records, returned(response))).toEqual({ kind: 'success' });
  });

  it.each([
    ['an empty itemIdentifier', [{ itemIdentifier: '' }], 'itemIdentifier is missing or empty'],
    ['a null itemIdentifier', [{ itemIdentifier: null }], 'itemIdentifier is missing or empty'],
    ['a wrong key name', [{ itemId: '1' }], 'itemIdentifier is missing or empty'],
    ['a number', [{ itemIdentifier: 5 }], 'itemIdentifier is missing or empty'],
    ['an item that is not an object', ['x'], 'itemIdentifier is missing or empty'],
    ['an unknown sequence number', [{ itemIdentifier: '123' }], 'is not a sequence number of this batch'],
  ])('fails the whole batch for %s', (_, batchItemFailures, message) => {
    const verdict = judgeOutcome(records, returned({ batchItemFailures }));

    expect(verdict.kind).toBe('failure');
    expect(verdict.kind === 'failure' && verdict.reason).toContain(message);
  });

  it('fails the whole batch when batchItemFailures is not an array', () => {
    const verdict = judgeOutcome(records, returned({ batchItemFailures: { itemIdentifier: seq(first) } }));

    expect(verdict).toEqual({
      kind: 'failure',
      reason: 'invalid response: batchItemFailures is not an array',
    });
  });

  it('fails the whole batch on a thrown error and on a timeout', () => {
    expect(judgeOutcome(records, { kind: 'threw', error: new TypeError('boom') })).toEqual({
      kind: 'failure',
      reason: 'function error: TypeError: boom',
    });
    expect(judgeOutcome(records, { kind: 'timed-out', timeoutMs: 3000 })).toEqual({
      kind: 'failure',
      reason: 'function timed out after 3000 ms',
    });
  });

  it('picks the lowest reported sequence number, whatever the order of the list', () => {
    const verdict = judgeOutcome(records, failing(third, second));

    expect(verdict).toEqual({ kind: 'partial', failedIndex: 1, reported: 2 });
  });
});

describe('nextAction', () => {
  it('advances past the whole batch after a clean answer', () => {
    const [first, second, third] = five();
    const batch = { records: [first, second, third], retries: 0 };

    const action = nextAction(batch, returned({ batchItemFailures: [] }), policy());

    expect(action).toEqual({ kind: 'advance', checkpoint: seq(third), done: batch.records });
  });

  it('checkpoints before the lowest failure and retries from it, records after it included', () => {
    const [first, second, third, fourth, fifth] = five();
    const batch = { records: [first, second, third, fourth, fifth], retries: 0 };

    const action = nextAction(batch, failing(fourth, third), policy());

    expect(action).toMatchObject({
      kind: 'retry',
      checkpoint: seq(second),
      done: [first, second],
      batch: { records: [third, fourth, fifth], retries: 1 },
      delayMs: 1000,
    });
  });

  it('retries everything without moving the checkpoint when the first record failed', () => {
    const [first, second] = five();
    const batch = { records: [first, second], retries: 0 };

    const action = nextAction(batch, failing(first), policy());

    expect(action).toMatchObject({ kind: 'retry', checkpoint: undefined, done: [] });
    expect(action.kind === 'retry' && action.batch.records).toEqual(batch.records);
  });

  it.each<[string, InvocationOutcome]>([
    ['an error', { kind: 'threw', error: new Error('down') }],
    ['a timeout', { kind: 'timed-out', timeoutMs: 1000 }],
    ['an invalid itemIdentifier', returned({ batchItemFailures: [{ itemIdentifier: '' }] })],
  ])('retries the whole batch after %s', (_, outcome) => {
    const batch = batchOf(3);

    const action = nextAction(batch, outcome, policy());

    expect(action.kind).toBe('retry');
    expect(action.kind === 'retry' && action.batch.records).toEqual(batch.records);
    expect(action.kind === 'retry' && action.checkpoint).toBeUndefined();
  });

  it('backs off exponentially per retry of the same batch, up to the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((retries) =>
      retryDelay(retries, policy({ backoffBaseMs: 500, backoffMaxMs: 10_000 })),
    );

    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    const action = nextAction(batchOf(1, 3), { kind: 'threw', error: 'x' }, policy({ backoffBaseMs: 500 }));
    expect(action.kind === 'retry' && action.delayMs).toBe(4000);
  });

  it('discards what is left once MaximumRetryAttempts retries are used up, and advances past the batch', () => {
    const [first, second, third, fourth] = five();
    const batch = { records: [first, second, third, fourth], retries: 2 };

    const action = nextAction(batch, failing(third), policy({ maxRetryAttempts: 2 }));

    expect(action).toMatchObject({
      kind: 'discard',
      checkpoint: seq(fourth),
      done: [first, second],
      discarded: [third, fourth],
    });
    expect(action.kind === 'discard' && action.reason).toContain('retry attempts exhausted (2)');
  });

  it('still retries while retries are left, and never stops with -1', () => {
    const outcome: InvocationOutcome = { kind: 'threw', error: 'x' };

    expect(nextAction(batchOf(1, 1), outcome, policy({ maxRetryAttempts: 2 })).kind).toBe('retry');
    expect(nextAction(batchOf(1, 10_000), outcome, policy({ maxRetryAttempts: -1 })).kind).toBe('retry');
    expect(nextAction(batchOf(1, 0), outcome, policy({ maxRetryAttempts: 0 })).kind).toBe('discard');
  });
});

describe('dropExpired', () => {
  const at = (seconds: number) => {
    const record = kinesisRecord();
    record.kinesis.approximateArrivalTimestamp = seconds;
    return record;
  };

  it('splits off the records older than the maximum age', () => {
    const old1 = at(1000);
    const old2 = at(1010.5);
    const fresh = at(1050);
    const batch: PendingBatch = { records: [old1, old2, fresh], retries: 2 };

    const result = dropExpired(batch, policy({ maxRecordAgeSeconds: 60 }), 1_100_000);

    expect(result.expired).toEqual([old1, old2]);
    expect(result.batch).toEqual({ records: [fresh], retries: 2 });
  });

  it('keeps everything without a maximum age', () => {
    const batch: PendingBatch = { records: [at(0)], retries: 0 };

    expect(dropExpired(batch, policy(), Date.now())).toEqual({ batch, expired: [] });
  });

  it('can expire the whole batch', () => {
    const batch: PendingBatch = { records: [at(0), at(1)], retries: 0 };

    const result = dropExpired(batch, policy({ maxRecordAgeSeconds: 60 }), 1_000_000);

    expect(result.batch.records).toEqual([]);
    expect(result.expired).toHaveLength(2);
  });
});
