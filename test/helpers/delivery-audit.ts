import { isDeepStrictEqual } from 'node:util';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { OrderingMode } from '../../src/config';
import { shardOfEventId } from '../../src/lib/event-id';
import type { InvocationLog } from './event-source-simulation';
import type { FaultyRequest } from './faulty-receiver';

/** What the receiver's log says about a run, checked against the records that were put. */
export interface DeliveryAudit {
  readonly records: number;
  readonly requests: number;
  /** Requests the receiver accepted (2xx), duplicates included. */
  readonly accepted: number;
  /** Accepted requests beyond the first of each record. */
  readonly duplicates: number;
  /** `duplicates` per record. */
  readonly duplicateRate: number;
  /** Most requests any one record needed (its own retries and the batch retries it was part of). */
  readonly mostRequestsForOneRecord: number;
  /** Event IDs the receiver never accepted. */
  readonly undelivered: readonly string[];
  /** Records first accepted before the record ahead of them in their key (or shard) was. */
  readonly outOfOrder: ReadonlyArray<{ readonly eventID: string; readonly before: string }>;
  /** Requests whose Idempotency-Key is not the eventID of the record they carry. */
  readonly wrongKeys: ReadonlyArray<{
    readonly index: number;
    readonly sent: string | undefined;
    readonly expected: string | undefined;
  }>;
  /** Requests whose body is not a record that was put, as it was put. */
  readonly alteredBodies: readonly number[];
  /** Event IDs checkpointed before the receiver had accepted them. */
  readonly unconfirmed: readonly string[];
}

const payloadOf = (record: KinesisStreamRecord): unknown =>
  JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));

const shardOf = (record: KinesisStreamRecord): string => shardOfEventId(record.eventID);

// The records whose relative order the mode promises to keep, each group in stream order.
const orderingGroups = (
  records: readonly KinesisStreamRecord[],
  ordering: OrderingMode,
): KinesisStreamRecord[][] => {
  if (ordering === 'none') return [];
  const groups = new Map<string, KinesisStreamRecord[]>();
  for (const record of records) {
    const group = ordering === 'shard' ? shardOf(record) : record.kinesis.partitionKey;
    const members = groups.get(group) ?? [];
    members.push(record);
    groups.set(group, members);
  }
  return [...groups.values()];
};

/**
 * Checks a run: every record accepted at least once; within a key (or, with `shard`, within a shard) no record
 * accepted before the one ahead of it; every request carrying its record's eventID as Idempotency-Key and the
 * record's body; and every record the mapping checkpointed already accepted when the function said so.
 *
 * `records` in the order they were put (so each shard and each key in sequence-number order).
 */
export const auditDeliveries = (
  records: readonly KinesisStreamRecord[],
  requests: readonly FaultyRequest[],
  invocations: readonly InvocationLog[],
  ordering: OrderingMode,
): DeliveryAudit => {
  const bySequence = new Map(records.map((record) => [record.kinesis.sequenceNumber, record]));
  const firstAccepted = new Map<string, number>();
  const requestsPerRecord = new Map<string, number>();
  const wrongKeys: Array<{ index: number; sent: string | undefined; expected: string | undefined }> = [];
  const alteredBodies: number[] = [];
  let accepted = 0;

  for (const request of requests) {
    const record = request.sequenceNumber === undefined ? undefined : bySequence.get(request.sequenceNumber);
    if (request.idempotencyKey !== record?.eventID || record === undefined) {
      wrongKeys.push({ index: request.index, sent: request.idempotencyKey, expected: record?.eventID });
    }
    if (
      record === undefined ||
      request.partitionKey !== record.kinesis.partitionKey ||
      !isDeepStrictEqual(request.payload, payloadOf(record))
    ) {
      alteredBodies.push(request.index);
    }
    if (record === undefined) continue;
    requestsPerRecord.set(record.eventID, (requestsPerRecord.get(record.eventID) ?? 0) + 1);
    if (!request.accepted) continue;
    accepted += 1;
    if (!firstAccepted.has(record.eventID)) firstAccepted.set(record.eventID, request.index);
  }

  const outOfOrder: Array<{ eventID: string; before: string }> = [];
  for (const group of orderingGroups(records, ordering)) {
    for (let position = 1; position < group.length; position += 1) {
      const ahead = group[position - 1] as KinesisStreamRecord;
      const record = group[position] as KinesisStreamRecord;
      const mine = firstAccepted.get(record.eventID);
      const theirs = firstAccepted.get(ahead.eventID);
      if (mine !== undefined && (theirs === undefined || theirs > mine)) {
        outOfOrder.push({ eventID: record.eventID, before: ahead.eventID });
      }
    }
  }

  const unconfirmed = invocations.flatMap((invocation) =>
    invocation.done.filter((eventID) => {
      const index = firstAccepted.get(eventID);
      return index === undefined || index >= invocation.requestsAtEnd;
    }),
  );

  const duplicates = accepted - firstAccepted.size;
  return {
    records: records.length,
    requests: requests.length,
    accepted,
    duplicates,
    duplicateRate: records.length === 0 ? 0 : duplicates / records.length,
    mostRequestsForOneRecord: Math.max(0, ...requestsPerRecord.values()),
    undelivered: records.filter((record) => !firstAccepted.has(record.eventID)).map((r) => r.eventID),
    outOfOrder,
    wrongKeys,
    alteredBodies,
    unconfirmed,
  };
};
