import type { StartingPosition } from '../config';
import type { ShardCheckpoint } from './checkpoint-store';

/** A shard as ListShards describes it. */
export interface ShardInfo {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  readonly adjacentParentShardId?: string | undefined;
  /** The shard has an ending sequence number: no new records arrive, its children take over. */
  readonly closed: boolean;
}

/** Where a shard iterator starts. */
export type IteratorStart =
  | { readonly type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' };

/**
 * The checkpoints of a stream read for the first time. Every shard existing now starts at the starting position;
 * with LATEST a closed shard has nothing new, so it counts as finished. A shard without an entry later on was
 * created after this moment, so all of it is new and it starts at TRIM_HORIZON.
 */
export const initialCheckpoints = (
  shards: readonly ShardInfo[],
  startingPosition: StartingPosition,
): Map<string, ShardCheckpoint> =>
  new Map(
    shards.map((shard) => [
      shard.shardId,
      startingPosition === 'LATEST' && shard.closed ? { finished: true } : { start: startingPosition },
    ]),
  );

const startOf = (checkpoint: ShardCheckpoint | undefined): IteratorStart => {
  if (checkpoint?.sequenceNumber !== undefined) {
    return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint.sequenceNumber };
  }
  return { type: checkpoint?.start ?? 'TRIM_HORIZON' };
};

/**
 * The shards that may be read now, and where each starts: not finished, not already being read, and every
 * parent still in the stream finished first (a child's records come after its parents').
 */
export const readyShards = (
  shards: readonly ShardInfo[],
  checkpoints: ReadonlyMap<string, ShardCheckpoint>,
  reading: ReadonlySet<string>,
): { shardId: string; from: IteratorStart }[] => {
  const listed = new Set(shards.map((shard) => shard.shardId));
  const finished = (shardId: string) => checkpoints.get(shardId)?.finished === true;
  return shards
    .filter((shard) => !reading.has(shard.shardId) && !finished(shard.shardId))
    .filter((shard) =>
      [shard.parentShardId, shard.adjacentParentShardId].every(
        (parent) => parent === undefined || !listed.has(parent) || finished(parent),
      ),
    )
    .map((shard) => ({ shardId: shard.shardId, from: startOf(checkpoints.get(shard.shardId)) }));
};
