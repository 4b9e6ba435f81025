import type { KinesisStreamRecord } from 'aws-lambda';
import type { OrderingMode } from '../config';

// Sequence numbers are decimal strings of up to 128 bits: compare by length, then lexically.
const bySequenceNumber = (a: KinesisStreamRecord, b: KinesisStreamRecord): number => {
  const x = a.kinesis.sequenceNumber;
  const y = b.kinesis.sequenceNumber;
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Splits a batch into lanes. Records of one lane are sent one at a time, in order, and a lane stops at its first
 * record that is not delivered; lanes run concurrently.
 * - `partition-key`: one lane per partition key, in sequence-number order;
 * - `shard`: a single lane in batch order;
 * - `none`: one lane per record.
 */
export const planLanes = (
  records: readonly KinesisStreamRecord[],
  ordering: OrderingMode,
): KinesisStreamRecord[][] => {
  switch (ordering) {
    case 'shard':
      return records.length === 0 ? [] : [[...records]];
    case 'none':
      return records.map((record) => [record]);
    case 'partition-key': {
      const lanes = new Map<string, KinesisStreamRecord[]>();
      for (const record of records) {
        const lane = lanes.get(record.kinesis.partitionKey);
        if (lane) lane.push(record);
        else lanes.set(record.kinesis.partitionKey, [record]);
      }
      const result = [...lanes.values()];
      for (const lane of result) lane.sort(bySequenceNumber);
      return result;
    }
  }
};
