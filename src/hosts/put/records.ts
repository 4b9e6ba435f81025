import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { pause } from '../../lib/timers';

export interface PutEntry {
  readonly data: string;
  readonly partitionKey: string;
}

export interface PutResult {
  readonly partitionKey: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

// PutRecords takes at most 500 records and 5 MiB per call; stay under both.
const MAX_RECORDS = 500;
const MAX_BYTES = 4 * 1024 * 1024;

const chunks = (entries: readonly PutEntry[]): PutEntry[][] => {
  const result: PutEntry[][] = [];
  let current: PutEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.data) + Buffer.byteLength(entry.partitionKey);
    if (current.length === MAX_RECORDS || (current.length > 0 && bytes + size > MAX_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
};

/**
 * Writes records with PutRecords, in order, a chunk at a time; records Kinesis refuses (throttling) are sent
 * again a few times before giving up. A retried record can land after a later record of its key.
 *
 * @throws when records are still refused after the last attempt, or when the call itself fails.
 */
export const putRecords = async (
  client: KinesisClient,
  streamName: string,
  entries: readonly PutEntry[],
  maxAttempts = 5,
): Promise<PutResult[]> => {
  const results: PutResult[] = [];
  for (const chunk of chunks(entries)) {
    const written: (PutResult | undefined)[] = chunk.map(() => undefined);
    let pending = chunk.map((_, index) => index);
    let lastError = '';
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) {
        throw new Error(
          `${pending.length} record(s) were not written after ${maxAttempts} attempts: ${lastError}`,
        );
      }
      if (attempt > 1) await pause(100 * 2 ** (attempt - 2));
      const request: PutRecordsRequestEntry[] = pending.map((index) => ({
        Data: Buffer.from(chunk[index]?.data ?? ''),
        PartitionKey: chunk[index]?.partitionKey,
      }));
      const output = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: request }));
      const stillPending: number[] = [];
      (output.Records ?? []).forEach((result, position) => {
        const index = pending[position] ?? -1;
        if (result.ErrorCode || !result.ShardId || !result.SequenceNumber) {
          stillPending.push(index);
          lastError = `${result.ErrorCode ?? 'no result'}: ${result.ErrorMessage ?? ''}`;
          return;
        }
        written[index] = {
          partitionKey: chunk[index]?.partitionKey ?? '',
          shardId: result.ShardId,
          sequenceNumber: result.SequenceNumber,
        };
      });
      pending = stillPending;
    }
    results.push(...written.filter((result): result is PutResult => result !== undefined));
  }
  return results;
};
