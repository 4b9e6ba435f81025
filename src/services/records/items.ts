import type { KinesisStreamRecord } from 'aws-lambda';
import type { BodyMode } from '../../config';
import { deaggregate, isAggregated } from './kpl-aggregate';

/**
 * One thing the receiver gets: a Kinesis record, or, with de-aggregation, one user record of a KPL aggregate. Its
 * outcome is reported to Lambda as its Kinesis record's.
 */
export interface Item {
  readonly record: KinesisStreamRecord;
  /** Idempotency key and `webhook-id`: the record's eventID, plus `:<index>` for a user record of an aggregate. */
  readonly id: string;
  readonly partitionKey: string;
  /** The index of a user record in its aggregate (the KCL's subSequenceNumber); undefined for a whole record. */
  readonly subSequenceNumber: number | undefined;
  /** The record's data, decoded; undefined when it was not needed (a `kinesis` or `record` body of a whole record). */
  readonly data: Buffer | undefined;
  /** Order in the batch, for requests that keep stream order. */
  readonly position: number;
  /** Why the record cannot be forwarded at all (a corrupt aggregate); such an item fails without being sent. */
  readonly refused?: string;
}

// base64 of a KPL aggregate starts with these characters (the magic bytes F3 89 9A C2, then two more bits of C2).
const AGGREGATE_PREFIX = '84maw';

/**
 * The items of a batch, in order. Without de-aggregation each record is one item. With it, a KPL aggregate becomes
 * one item per user record, each with its own partition key; a corrupt aggregate becomes one refused item, so that
 * none of it is sent; any other record passes through unchanged.
 */
export const itemsOf = (
  records: readonly KinesisStreamRecord[],
  options: { readonly deaggregate: boolean; readonly body: BodyMode },
): Item[] => {
  const items: Item[] = [];
  const needsData = options.body === 'data';
  for (const record of records) {
    const { data: base64, partitionKey } = record.kinesis;
    const whole = (data: Buffer | undefined, refused?: string): Item => ({
      record,
      id: record.eventID,
      partitionKey,
      subSequenceNumber: undefined,
      data,
      position: items.length,
      ...(refused === undefined ? {} : { refused }),
    });
    if (!options.deaggregate || !base64.startsWith(AGGREGATE_PREFIX)) {
      items.push(whole(needsData ? Buffer.from(base64, 'base64') : undefined));
      continue;
    }
    const data = Buffer.from(base64, 'base64');
    if (!isAggregated(data)) {
      items.push(whole(needsData ? data : undefined));
      continue;
    }
    let users: ReturnType<typeof deaggregate>;
    try {
      users = deaggregate(data);
    } catch (error) {
      items.push(whole(undefined, `not forwarded, none of it: ${(error as Error).message}`));
      continue;
    }
    for (const [index, user] of users.entries()) {
      items.push({
        record,
        id: `${record.eventID}:${index}`,
        partitionKey: user.partitionKey,
        subSequenceNumber: index,
        data: user.data,
        position: items.length,
      });
    }
  }
  return items;
};
