import type { ShardCheckpoint } from '../../src/hosts/local/mapping/checkpoint-store';
import { initialCheckpoints, readyShards, type ShardInfo } from '../../src/hosts/local/mapping/shard-lineage';

// Shard 0 was split into 2 and 3; 1 is untouched.
const shards: ShardInfo[] = [
  { shardId: 's0', closed: true },
  { shardId: 's1', closed: false },
  { shardId: 's2', parentShardId: 's0', closed: false },
  { shardId: 's3', parentShardId: 's0', closed: false },
];

const ready = (checkpoints: Record<string, ShardCheckpoint>, reading: string[] = []) =>
  readyShards(shards, new Map(Object.entries(checkpoints)), new Set(reading));

describe('initialCheckpoints', () => {
  it('starts every shard at TRIM_HORIZON, closed ones too', () => {
    expect(Object.fromEntries(initialCheckpoints(shards, 'TRIM_HORIZON'))).toEqual({
      s0: { start: 'TRIM_HORIZON' },
      s1: { start: 'TRIM_HORIZON' },
      s2: { start: 'TRIM_HORIZON' },
      s3: { start: 'TRIM_HORIZON' },
    });
  });

  it('with LATEST skips closed shards (nothing new can arrive there) and starts open ones at LATEST', () => {
    expect(Object.fromEntries(initialCheckpoints(shards, 'LATEST'))).toEqual({
      s0: { finished: true },
      s1: { start: 'LATEST' },
      s2: { start: 'LATEST' },
      s3: { start: 'LATEST' },
    });
  });
});

describe('readyShards', () => {
  it('holds children back until their parent is finished', () => {
    const result = ready(Object.fromEntries(initialCheckpoints(shards, 'TRIM_HORIZON')));

    expect(result).toEqual([
      { shardId: 's0', from: { type: 'TRIM_HORIZON' } },
      { shardId: 's1', from: { type: 'TRIM_HORIZON' } },
    ]);
  });

  it('starts the children once the parent is finished, from the start of each child', () => {
    const result = ready({ s0: { finished: true, sequenceNumber: '9' }, s1: { sequenceNumber: '5' } }, [
      's1',
    ]);

    expect(result).toEqual([
      { shardId: 's2', from: { type: 'TRIM_HORIZON' } },
      { shardId: 's3', from: { type: 'TRIM_HORIZON' } },
    ]);
  });

  it('resumes after the checkpoint and skips finished shards and shards being read', () => {
    const result = ready(
      { s0: { finished: true }, s1: { sequenceNumber: '42' }, s2: { sequenceNumber: '43' } },
      ['s3'],
    );

    expect(result).toEqual([
      { shardId: 's1', from: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '42' } },
      { shardId: 's2', from: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '43' } },
    ]);
  });

  it('starts at LATEST again while a LATEST shard has no record done yet', () => {
    expect(ready({ s0: { finished: true }, s1: { start: 'LATEST' } }, ['s2', 's3'])).toEqual([
      { shardId: 's1', from: { type: 'LATEST' } },
    ]);
  });

  it('does not wait for a parent that is no longer in the stream (past its retention)', () => {
    const orphan: ShardInfo[] = [
      { shardId: 's5', parentShardId: 's4', adjacentParentShardId: 's9', closed: false },
    ];

    expect(readyShards(orphan, new Map(), new Set())).toEqual([
      { shardId: 's5', from: { type: 'TRIM_HORIZON' } },
    ]);
  });

  it('waits for both parents of a merged shard', () => {
    const merged: ShardInfo[] = [
      { shardId: 'a', closed: true },
      { shardId: 'b', closed: true },
      { shardId: 'm', parentShardId: 'a', adjacentParentShardId: 'b', closed: false },
    ];

    const halfway = readyShards(merged, new Map([['a', { finished: true }]]), new Set(['b']));
    const both = readyShards(
      merged,
      new Map([
        ['a', { finished: true }],
        ['b', { finished: true }],
      ]),
      new Set(),
    );

    expect(halfway).toEqual([]);
    expect(both).toEqual([{ shardId: 'm', from: { type: 'TRIM_HORIZON' } }]);
  });
});
