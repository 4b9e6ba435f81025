/** What a shard's reader is doing. */
export type ShardPhase = 'waiting' | 'reading' | 'retrying' | 'finished';

export interface ShardProgress {
  phase: ShardPhase;
  /** How far the last read was behind the tip of the shard (GetRecords' MillisBehindLatest). */
  millisBehind: number | undefined;
}

/** Counters of one run, shown by the status line. */
export class PollerStats {
  /** Records checkpointed as delivered; a record sent again after a partial failure counts once. */
  forwarded = 0;
  /** Records an invocation did not finish (reported failed, after the lowest failure, or the whole batch). */
  failed = 0;
  /** Records given up on (retries used up or too old), written to the on-failure file. */
  discarded = 0;
  invocations = 0;
  readonly shards = new Map<string, ShardProgress>();

  /** The progress entry of a shard, created on first use. */
  shard(shardId: string): ShardProgress {
    let progress = this.shards.get(shardId);
    if (!progress) {
      progress = { phase: 'waiting', millisBehind: undefined };
      this.shards.set(shardId, progress);
    }
    return progress;
  }
}
