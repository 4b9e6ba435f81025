import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';

/** Records the mapping gave up on, with why: one JSON line each time, like an on-failure destination. */
export interface DiscardedRecords {
  readonly reason: string;
  readonly shardId: string;
  readonly streamArn: string;
  /** Retries the batch had when it was given up. */
  readonly retries: number;
  readonly records: readonly KinesisStreamRecord[];
}

/**
 * Appends discarded records, payloads included, to a JSON lines file, so nothing the mapping drops is lost
 * without a trace. The payloads go to this file only, never to a log line.
 */
export const appendDiscarded = async (path: string, discarded: DiscardedRecords): Promise<void> => {
  const first = discarded.records[0]?.kinesis.sequenceNumber;
  const last = discarded.records.at(-1)?.kinesis.sequenceNumber;
  const line = {
    discardedAt: new Date().toISOString(),
    reason: discarded.reason,
    streamArn: discarded.streamArn,
    shardId: discarded.shardId,
    retries: discarded.retries,
    startSequenceNumber: first,
    endSequenceNumber: last,
    batchSize: discarded.records.length,
    records: discarded.records,
  };
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(line)}\n`);
};
