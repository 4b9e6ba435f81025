import { createHash } from 'node:crypto';
import type { KinesisStreamRecord } from 'aws-lambda';
import { kinesisRecord } from './records';
import { seededFraction, seededInteger } from './seeded-random';

/** The payload of every simulated record: its key, its place among that key's records and in the stream. */
export interface SimulatedPayload {
  readonly key: string;
  readonly n: number;
  readonly index: number;
}

/** Records as a stream of evenly split shards holds them, each shard in sequence-number order. */
export interface SimulatedStream {
  readonly shards: ReadonlyMap<string, readonly KinesisStreamRecord[]>;
  /** Every record, in the order it was put. */
  readonly records: readonly KinesisStreamRecord[];
}

export interface SimulatedStreamOptions {
  readonly records: number;
  readonly keys: number;
  readonly shards: number;
  readonly seed: string;
  /** Share of the records that go to one hot key, `key-0` (the rest spread evenly over all keys). */
  readonly hotKeyShare?: number;
}

export const shardIdOf = (index: number): string => `shardId-${String(index).padStart(12, '0')}`;

// Kinesis maps a key to a shard by the MD5 of the key, read as a 128-bit number, within the shards' hash ranges.
const shardIndexOf = (partitionKey: string, shards: number): number => {
  const hash = BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
  return Number((hash * BigInt(shards)) >> 128n);
};

/** Builds a stream whose records pick their partition key at random (from the seed) among `keys` keys. */
export const simulatedStream = ({
  records,
  keys,
  shards,
  seed,
  hotKeyShare = 0,
}: SimulatedStreamOptions): SimulatedStream => {
  const byShard = new Map<string, KinesisStreamRecord[]>(
    Array.from({ length: shards }, (_, index) => [shardIdOf(index), []]),
  );
  const perKey = new Map<string, number>();
  const all: KinesisStreamRecord[] = [];
  for (let index = 0; index < records; index += 1) {
    const hot = seededFraction(seed, 'hot', index) < hotKeyShare;
    const key = `key-${hot ? 0 : seededInteger(0, keys - 1, seed, 'key', index)}`;
    const n = perKey.get(key) ?? 0;
    perKey.set(key, n + 1);
    const shardId = shardIdOf(shardIndexOf(key, shards));
    const payload: SimulatedPayload = { key, n, index };
    const record = kinesisRecord({ partitionKey: key, payload, shardId });
    byShard.get(shardId)?.push(record);
    all.push(record);
  }
  return { shards: byShard, records: all };
};
