import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/hosts/kinesis/client';
import { startEmbeddedKinesis } from '../../src/hosts/kinesis/embedded';
import { ensureStream } from '../../src/hosts/kinesis/ensure-stream';
import { parseLocalConfig } from '../../src/hosts/local/config';
import type { Printer } from '../../src/hosts/local/console/printer';
import { type PutResult, putRecords } from '../../src/hosts/put/records';

/** A printer that keeps every line, for assertions. */
export const recordingPrinter = (): Printer & { readonly lines: string[] } => {
  const lines: string[] = [];
  return { lines, info: (line) => lines.push(line), warn: (line) => lines.push(line) };
};

/** A kinesalite on a random loopback port, with one stream, and a client for it. */
export interface TestStream {
  readonly endpoint: string;
  readonly streamName: string;
  readonly client: KinesisClient;
  /** Writes JSON payloads in order; returns where each landed. */
  put(records: ReadonlyArray<{ key: string; payload: unknown }>): Promise<PutResult[]>;
  /** Every record in the stream, shard by shard, as text with its key, shard and sequence number. */
  readAll(): Promise<Array<{ shardId: string; partitionKey: string; sequenceNumber: string; data: string }>>;
  close(): Promise<void>;
}

export const startTestStream = async (shards: number, streamName = 'events'): Promise<TestStream> => {
  const emulator = await startEmbeddedKinesis(0, undefined);
  const config = parseLocalConfig({ KINESIS_ENDPOINT: emulator.endpoint, STREAM_NAME: streamName });
  const client = createKinesisClient(config, emulator.endpoint);
  const quiet: Printer = { info: () => {}, warn: () => {} };
  await ensureStream(client, streamName, { shards, create: true, where: emulator.endpoint }, quiet);
  return {
    endpoint: emulator.endpoint,
    streamName,
    client,
    put: (records) =>
      putRecords(
        client,
        streamName,
        records.map(({ key, payload }) => ({ partitionKey: key, data: JSON.stringify(payload) })),
      ),
    readAll: async () => {
      const found: Array<{ shardId: string; partitionKey: string; sequenceNumber: string; data: string }> =
        [];
      const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
      for (const { ShardId: shardId = '' } of Shards) {
        let { ShardIterator: iterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        while (iterator) {
          const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
          for (const record of page.Records ?? []) {
            found.push({
              shardId,
              partitionKey: record.PartitionKey ?? '',
              sequenceNumber: record.SequenceNumber ?? '',
              data: Buffer.from(record.Data ?? []).toString('utf8'),
            });
          }
          iterator = page.Records?.length ? page.NextShardIterator : undefined;
        }
      }
      return found;
    },
    close: async () => {
      client.destroy();
      await emulator.close();
    },
  };
};

/** A fresh temporary folder, removed by the returned function. */
export const temporaryDir = async (): Promise<{ path: string; remove: () => Promise<void> }> => {
  const path = await mkdtemp(join(tmpdir(), 'local-mode-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
};

/** Waits until `condition` holds, checking every 20 ms; fails naming `what` after `timeoutMs`. */
export const waitFor = (what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> =>
  waitForAsync(what, async () => condition(), timeoutMs);

/** {@link waitFor} with a condition that has to ask something first. */
export const waitForAsync = async (
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
