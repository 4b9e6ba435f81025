import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { type TestReceiver, useReceiver } from '../helpers/receiver';
import { decodePayload, kinesisEvent, kinesisRecord } from '../helpers/records';

const failedSequenceNumbers = (response: KinesisStreamBatchResponse) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

const sentIds = (receiver: TestReceiver) =>
  receiver.requests.map((request) => (decodePayload(request.body) as { id: string }).id);

// a1 a2 b1 a3 b2 c1: a2 is refused with a final 400.
const batch = () => {
  const specs = [
    ['a', 'a1'],
    ['a', 'a2'],
    ['b', 'b1'],
    ['a', 'a3'],
    ['b', 'b2'],
    ['c', 'c1'],
  ] as const;
  return specs.map(([partitionKey, id]) => ({
    id,
    record: kinesisRecord({ partitionKey, payload: { id } }),
  }));
};

describe('ordering modes with a failing record', () => {
  const receiver = useReceiver((request) => ({
    status: (decodePayload(request.body) as { id: string }).id === 'a2' ? 400 : 200,
    delayMs: 1,
  }));

  it('partition-key: holds back later records of the failed key only', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_ORDERING: 'partition-key' });
    const records = batch();
    const seq = (id: string) => records.find((r) => r.id === id)?.record.kinesis.sequenceNumber;

    const response = await handler(kinesisEvent(records.map((r) => r.record)), lambdaContext());

    expect(failedSequenceNumbers(response)).toEqual([seq('a2'), seq('a3')].sort());
    expect(sentIds(receiver).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    const sent = sentIds(receiver);
    expect(sent.indexOf('a1')).toBeLessThan(sent.indexOf('a2'));
    expect(sent.indexOf('b1')).toBeLessThan(sent.indexOf('b2'));
  });

  it('partition-key: sends records of one key in sequence-number order even when the batch is not', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const first = kinesisRecord({ partitionKey: 'k', payload: { id: 'k1' } });
    const second = kinesisRecord({ partitionKey: 'k', payload: { id: 'k2' } });

    await handler(kinesisEvent([second, first]), lambdaContext());

    expect(sentIds(receiver)).toEqual(['k1', 'k2']);
  });

  it('partition-key: compares sequence numbers as numbers, leading zeros and all', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const nine = kinesisRecord({ partitionKey: 'k', sequenceNumber: '0009', payload: { id: 'k9' } });
    const ten = kinesisRecord({ partitionKey: 'k', sequenceNumber: '10', payload: { id: 'k10' } });

    const response = await handler(kinesisEvent([nine, ten]), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sentIds(receiver)).toEqual(['k9', 'k10']);
  });

  it('shard: sends one at a time in batch order and stops at the first final failure', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_ORDERING: 'shard' });
    const records = batch();

    const response = await handler(kinesisEvent(records.map((r) => r.record)), lambdaContext());

    expect(sentIds(receiver)).toEqual(['a1', 'a2']);
    expect(failedSequenceNumbers(response)).toEqual(
      records
        .slice(1)
        .map((r) => r.record.kinesis.sequenceNumber)
        .sort(),
    );
    expect(receiver.maxInFlight()).toBe(1);
  });

  it('none: sends everything and reports only the failed record', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_ORDERING: 'none' });
    const records = batch();

    const response = await handler(kinesisEvent(records.map((r) => r.record)), lambdaContext());

    expect(sentIds(receiver).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    expect(failedSequenceNumbers(response)).toEqual([records[1]?.record.kinesis.sequenceNumber]);
  });
});
