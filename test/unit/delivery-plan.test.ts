import { planLanes } from '../../src/services/delivery-plan';
import { kinesisRecord } from '../helpers/records';

const ids = (lanes: ReturnType<typeof planLanes>) =>
  lanes.map((lane) =>
    lane.map((record) => `${record.kinesis.partitionKey}:${record.kinesis.sequenceNumber}`),
  );

describe('planLanes', () => {
  const a1 = kinesisRecord({ partitionKey: 'a', sequenceNumber: '100' });
  const b1 = kinesisRecord({ partitionKey: 'b', sequenceNumber: '101' });
  const a2 = kinesisRecord({ partitionKey: 'a', sequenceNumber: '102' });
  const c1 = kinesisRecord({ partitionKey: 'c', sequenceNumber: '103' });
  const b2 = kinesisRecord({ partitionKey: 'b', sequenceNumber: '104' });
  const batch = [a1, b1, a2, c1, b2];

  it('partition-key: one lane per key, in first-seen order', () => {
    expect(ids(planLanes(batch, 'partition-key'))).toEqual([
      ['a:100', 'a:102'],
      ['b:101', 'b:104'],
      ['c:103'],
    ]);
  });

  it('partition-key: orders each lane by numeric sequence number, not text', () => {
    const late = kinesisRecord({ partitionKey: 'k', sequenceNumber: '1000' });
    const early = kinesisRecord({ partitionKey: 'k', sequenceNumber: '999' });

    expect(ids(planLanes([late, early], 'partition-key'))).toEqual([['k:999', 'k:1000']]);
  });

  it('shard: one lane in batch order', () => {
    expect(ids(planLanes(batch, 'shard'))).toEqual([['a:100', 'b:101', 'a:102', 'c:103', 'b:104']]);
  });

  it('none: one lane per record', () => {
    expect(planLanes(batch, 'none')).toHaveLength(5);
  });

  it('plans nothing for an empty batch', () => {
    expect(planLanes([], 'shard')).toEqual([]);
    expect(planLanes([], 'partition-key')).toEqual([]);
  });

  it('does not reorder the batch it was given', () => {
    const copy = [...batch];
    planLanes(batch, 'partition-key');
    expect(batch).toEqual(copy);
  });
});
