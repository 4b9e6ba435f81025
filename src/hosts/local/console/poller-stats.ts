/** What a shard's reader is doing. */
export type ShardPhase = 'waiting' | 'reading' | 'finished';

/** A batch a shard is retrying: what waits, and since when. */
export interface PendingRetry {
  /** Records of the batch still to go. */
  readonly records: number;
  /** Of them, those the last invocation did not send because an earlier record of their key (or shard) failed. */
  readonly heldBack: number;
  /** When the oldest of them arrived in the stream, in ms since the epoch. */
  readonly oldestArrivalMs: number;
  /** When the shard's first failed invocation of this batch ended, in ms since the epoch. */
  readonly since: number;
}

export interface ShardProgress {
  phase: ShardPhase;
  /** How far the last read was behind the tip of the shard (GetRecords' MillisBehindLatest). */
  millisBehind: number | undefined;
  /** Set while the shard retries a batch, cleared once it moves on. */
  retrying: PendingRetry | undefined;
}

/** Counters of one run, shown by the status line; each record counts once per thing that happened to it. */
export class PollerStats {
  /** Records checkpointed as delivered, each once: a record sent again after a partial failure counts once. */
  delivered = 0;
  /** Records invoked again after their batch failed: a record sent three times counts twice. */
  retried = 0;
  /** Records given up on (retries used up or too old), written to the on-failure file: finally failed. */
  discarded = 0;
  /** Records not sent again because the delivery ledger knew an earlier invocation delivered them. */
  suppressed = 0;
  /** Requests in flight the function's concurrency limit allowed at the end of its last invocation. */
  concurrencyLimit: number | undefined;
  invocations = 0;
  readonly shards = new Map<string, ShardProgress>();

  /** The progress entry of a shard, created on first use. */
  shard(shardId: string): ShardProgress {
    let progress = this.shards.get(shardId);
    if (!progress) {
      progress = { phase: 'waiting', millisBehind: undefined, retrying: undefined };
      this.shards.set(shardId, progress);
    }
    return progress;
  }

  /** Records held back right now, over all shards retrying a batch: none once their batches went through. */
  get heldBack(): number {
    let total = 0;
    for (const progress of this.shards.values()) total += progress.retrying?.heldBack ?? 0;
    return total;
  }
}
