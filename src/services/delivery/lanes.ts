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

/** Something with a partition key, a Kinesis record and a place in the batch: what lanes are made of. */
export interface Laned {
  readonly partitionKey: string;
  readonly position: number;
  readonly record: { readonly kinesis: { readonly sequenceNumber: string } };
}

// Within a key, by sequence number, and by position among the user records of one aggregate.
const inStreamOrder = (a: Laned, b: Laned): number =>
  compareSequenceNumbers(a.record.kinesis.sequenceNumber, b.record.kinesis.sequenceNumber) ||
  a.position - b.position;

/**
 * Splits a batch's items into lanes. Items of one lane go out in order, never in two requests at once, and a lane
 * stops at its first item that is not delivered; lanes go side by side.
 * - `partition-key`: one lane per partition key, in sequence-number order;
 * - `shard`: a single lane in batch order;
 * - `none`: one lane per item.
 */
export const planLanes = <T extends Laned>(items: readonly T[], ordering: OrderingMode): T[][] => {
  switch (ordering) {
    case 'shard':
      return items.length === 0 ? [] : [[...items]];
    case 'none':
      return items.map((item) => [item]);
    case 'partition-key': {
      const lanes = new Map<string, T[]>();
      for (const item of items) {
        const lane = lanes.get(item.partitionKey);
        if (lane) lane.push(item);
        else lanes.set(item.partitionKey, [item]);
      }
      const result = [...lanes.values()];
      for (const lane of result) lane.sort(inStreamOrder);
      return result;
    }
  }
};
