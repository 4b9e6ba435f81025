import type { KinesisStreamRecord } from 'aws-lambda';
import { compareSequenceNumbers, planLanes } from '../../src/services/delivery/lanes';
import { type Item, itemsOf } from '../../src/services/records/items';
import { kinesisRecord } from '../helpers/records';

const items = (records: readonly KinesisStreamRecord[]) =>
  itemsOf(records, { deaggregate: false, body: 'kinesis' });

const ids = (lanes: Item[][]) =>
  lanes.map((lane) => lane.map((item) => `${item.partitionKey}:${item.record.kinesis.sequenceNumber}`));

describe('planLanes', () => {
  const a1 = kinesisRecord({ partitionKey: 'a', sequenceNumber: '100' });
  const b1 = kinesisRecord({ partitionKey: 'b', sequenceNumber: '101' });
  const a2 = kinesisRecord({ partitionKey: 'a', sequenceNumber: '102' });
  const c1 = kinesisRecord({ partitionKey: 'c', sequenceNumber: '103' });
  const b2 = kinesisRecord({ partitionKey: 'b', sequenceNumber: '104' });
  const batch = [a1, b1, a2, c1, b2];

  it('partition-key: one lane per key, in first-seen order', () => {
    expect(ids(planLanes(items(batch), 'partition-key'))).toEqual([
      ['a:100', 'a:102'],
      ['b:101', 'b:104'],
      ['c:103'],
    ]);
  });

  it('partition-key: orders each lane by numeric sequence number, not text', () => {
    const late = kinesisRecord({ partitionKey: 'k', sequenceNumber: '1000' });
    const early = kinesisRecord({ partitionKey: 'k', sequenceNumber: '999' });

    expect(ids(planLanes(items([late, early]), 'partition-key'))).toEqual([['k:999', 'k:1000']]);
  });

  it('partition-key: orders sequence numbers with leading zeros by their value', () => {
    const ten = kinesisRecord({ partitionKey: 'k', sequenceNumber: '10' });
    const nine = kinesisRecord({ partitionKey: 'k', sequenceNumber: '0009' });

    expect(ids(planLanes(items([ten, nine]), 'partition-key'))).toEqual([['k:0009', 'k:10']]);
  });

  it('shard: one lane in batch order', () => {
    expect(ids(planLanes(items(batch), 'shard'))).toEqual([['a:100', 'b:101', 'a:102', 'c:103', 'b:104']]);
  });

  it('none: one lane per item', () => {
    expect(planLanes(items(batch), 'none')).toHaveLength(5);
  });

  it('plans nothing for an empty batch', () => {
    expect(planLanes(items([]), 'shard')).toEqual([]);
    expect(planLanes(items([]), 'partition-key')).toEqual([]);
  });

  it('does not reorder the batch it was given', () => {
    const copy = [...batch];
    planLanes(items(batch), 'partition-key');
    expect(batch).toEqual(copy);
  });
});

describe('compareSequenceNumbers', () => {
  const MAX_128 = (2n ** 128n - 1n).toString();

  it.each([
    ['0009', '10'],
    ['9', '0010'],
    ['0', '1'],
    ['000', '1'],
    [
      '49590338271490256608559692538361571095921575989136588898',
      '49590338271490256608559692538361571095921575989136588899',
    ],
    [
      '00049590338271490256608559692538361571095921575989136588898',
      '49590338271490256608559692538361571095921575989136588899',
    ],
    ['340282366920938463463374607431768211454', MAX_128],
    ['99999999999999999999999999999999999999', MAX_128],
  ])('puts %s before %s, as BigInt does', (smaller, larger) => {
    expect(BigInt(smaller) < BigInt(larger)).toBe(true);
    expect(Math.sign(compareSequenceNumbers(smaller, larger))).toBe(-1);
    expect(Math.sign(compareSequenceNumbers(larger, smaller))).toBe(1);
  });

  it.each([
    ['10', '010'],
    ['0', '000'],
    [MAX_128, `00${MAX_128}`],
  ])('finds %s and %s equal', (x, y) => {
    expect(compareSequenceNumbers(x, y)).toBe(0);
  });
});
