import type { KinesisStreamRecord } from 'aws-lambda';
import type { OrderingMode } from '../../config';

// Where the significant digits of a decimal string start: leading zeros do not count, the last digit always does.
const significantFrom = (digits: string): number => {
  let at = 0;
  while (at < digits.length - 1 && digits[at] === '0') at += 1;
  return at;
};

/**
 * Orders two sequence numbers (decimal strings of up to 128 bits, as validated) by their numeric value: the one
 * with more significant digits is larger, and equally long ones compare digit by digit. Leading zeros do not count.
 */
export const compareSequenceNumbers = (x: string, y: string): number => {
  const xFrom = significantFrom(x);
  const yFrom = significantFrom(y);
  const lengths = x.length - xFrom - (y.length - yFrom);
  if (lengths !== 0) return lengths;
  for (let i = 0; i < x.length - xFrom; i += 1) {
    const digits = x.charCodeAt(xFrom + i) - y.charCodeAt(yFrom + i);
    if (digits !== 0) return digits;
  }
  return 0;
};

const bySequenceNumber = (a: KinesisStreamRecord, b: KinesisStreamRecord): number =>
  compareSequenceNumbers(a.kinesis.sequenceNumber, b.kinesis.sequenceNumber);

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
