import type { KinesisStreamRecord } from 'aws-lambda';
import { auditDeliveries } from '../helpers/delivery-audit';
import type { InvocationLog } from '../helpers/event-source-simulation';
import type { Fault, FaultyRequest } from '../helpers/faulty-receiver';
import { kinesisRecord } from '../helpers/records';

// The audit is what makes the chaos suite able to fail: each check must catch what it is named after.

const record = (partitionKey: string, shardId = 'shardId-000000000000') =>
  kinesisRecord({ partitionKey, shardId, payload: { partitionKey } });

const payloadOf = (r: KinesisStreamRecord): unknown =>
  JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

// A receiver log: each entry is a record and what the receiver did with that request.
const log = (...entries: Array<[KinesisStreamRecord, Fault]>): FaultyRequest[] =>
  entries.map(([r, fault], index) => ({
    index,
    at: index,
    idempotencyKey: r.eventID,
    partitionKey: r.kinesis.partitionKey,
    sequenceNumber: r.kinesis.sequenceNumber,
    payload: payloadOf(r),
    attempt: 1,
    fault,
    accepted: fault === 'ok' || fault === 'slow' || fault === 'late',
  }));

const invocation = (done: KinesisStreamRecord[], requestsAtEnd: number): InvocationLog => ({
  shardId: 'shardId-000000000000',
  records: done.length,
  retries: 0,
  outcome: 'returned',
  action: 'advance',
  durationMs: 10,
  done: done.map((r) => r.eventID),
  requestsAtEnd,
});

describe('auditDeliveries', () => {
  it('passes a clean run and counts accepted requests beyond the first of a record as duplicates', () => {
    const [a, b] = [record('k'), record('k')];
    const requests = log([a, 'unavailable'], [a, 'ok'], [b, 'late'], [b, 'ok']);

    const audit = auditDeliveries([a, b], requests, [invocation([a, b], 4)], 'partition-key');

    expect(audit).toMatchObject({
      undelivered: [],
      outOfOrder: [],
      wrongKeys: [],
      alteredBodies: [],
      unconfirmed: [],
      accepted: 3,
      duplicates: 1,
      duplicateRate: 0.5,
      mostRequestsForOneRecord: 2,
    });
  });

  it('reports a record the receiver never accepted', () => {
    const [a, b] = [record('k'), record('j')];

    const audit = auditDeliveries([a, b], log([a, 'ok'], [b, 'reset'], [b, 'hang']), [], 'none');

    expect(audit.undelivered).toEqual([b.eventID]);
  });

  it('reports a record of a key accepted before the earlier record of that key', () => {
    const [a1, b1, a2] = [record('a'), record('b'), record('a')];
    const requests = log([a1, 'unavailable'], [a2, 'ok'], [b1, 'ok'], [a1, 'ok']);

    const audit = auditDeliveries([a1, b1, a2], requests, [], 'partition-key');

    expect(audit.outOfOrder).toEqual([{ eventID: a2.eventID, before: a1.eventID }]);
  });

  it('holds records of different keys to no order, except within a shard in shard mode', () => {
    const [a, b] = [record('a'), record('b')];
    const requests = log([b, 'ok'], [a, 'ok']);

    expect(auditDeliveries([a, b], requests, [], 'partition-key').outOfOrder).toEqual([]);
    expect(auditDeliveries([a, b], requests, [], 'none').outOfOrder).toEqual([]);
    expect(auditDeliveries([a, b], requests, [], 'shard').outOfOrder).toEqual([
      { eventID: b.eventID, before: a.eventID },
    ]);
  });

  it('reports a retry that carries another Idempotency-Key than the record eventID', () => {
    const a = record('a');
    const [first, retry] = log([a, 'unavailable'], [a, 'ok']) as [FaultyRequest, FaultyRequest];

    const audit = auditDeliveries([a], [first, { ...retry, idempotencyKey: 'something-else' }], [], 'none');

    expect(audit.wrongKeys).toEqual([{ index: 1, sent: 'something-else', expected: a.eventID }]);
  });

  it('reports a body whose payload or key was changed', () => {
    const a = record('a');
    const [sent] = log([a, 'ok']) as [FaultyRequest];

    const changedPayload = auditDeliveries([a], [{ ...sent, payload: { other: true } }], [], 'none');
    const changedKey = auditDeliveries([a], [{ ...sent, partitionKey: 'b' }], [], 'none');

    expect(changedPayload.alteredBodies).toEqual([0]);
    expect(changedKey.alteredBodies).toEqual([0]);
  });

  it('reports a record checkpointed before the receiver accepted it', () => {
    const [a, b] = [record('a'), record('b')];
    // b is accepted only by the request after the invocation that claimed it had answered.
    const requests = log([a, 'ok'], [b, 'hang'], [b, 'ok']);

    const audit = auditDeliveries([a, b], requests, [invocation([a, b], 2)], 'none');

    expect(audit.unconfirmed).toEqual([b.eventID]);
  });
});
