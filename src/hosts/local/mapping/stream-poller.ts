import { DescribeStreamSummaryCommand, type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { withTimeout } from '../../../lib/timers';
import type { Invoker } from '../../invoker';
import { eventSourceOf, parseStreamArn } from '../../kinesis/event';
import type { LocalConfig } from '../config';
import { PollerStats } from '../console/poller-stats';
import type { Printer } from '../console/printer';
import { CheckpointStore } from './checkpoint-store';
import { type IteratorStart, initialCheckpoints, readyShards, type ShardInfo } from './shard-lineage';
import { readShard, type ShardReaderDeps } from './shard-reader';

export interface StreamPollerOptions {
  readonly client: KinesisClient;
  readonly config: LocalConfig;
  /** Names the local function in contexts and in the invoke identity of events. */
  readonly functionName: string;
  readonly invoker: Invoker;
  readonly print: Printer;
  /** The function's receiver as it may be shown (credentials and query masked), for the lines on failures. */
  readonly receiver: string;
  /** Least time between GetRecords calls on one shard; Kinesis allows 5 per second. */
  readonly minGetRecordsIntervalMs?: number;
  readonly now?: () => number;
}

/** What a stop left behind. */
export interface StopReport {
  /** Shards whose batch in flight did not finish within the grace time; it is read again on the next start. */
  readonly abandoned: readonly string[];
}

export interface StreamPoller {
  readonly stats: PollerStats;
  readonly streamArn: string;
  /** Settles once the poller has stopped: resolves after {@link stop}, rejects with the error that stopped it. */
  readonly done: Promise<void>;
  /**
   * Stops cleanly: no new batch or retry starts, invocations in flight get `graceMs` to finish, and the
   * checkpoints are saved.
   */
  stop(graceMs: number): Promise<StopReport>;
}

const listShards = async (
  client: KinesisClient,
  streamName: string,
  signal: AbortSignal,
): Promise<ShardInfo[]> => {
  const shards: ShardInfo[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
      { abortSignal: signal },
    );
    for (const shard of page.Shards ?? []) {
      if (!shard.ShardId) continue;
      shards.push({
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        adjacentParentShardId: shard.AdjacentParentShardId,
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
};

/**
 * Starts reading every shard of a stream like Lambda's event source mapping: each shard's batches one after
 * another, shards side by side, children after their parents, checkpoints in a local file.
 *
 * @throws when the stream cannot be described or the checkpoint file cannot be read.
 */
export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const { client, config, print } = options;
  const { streamName } = config;
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const { signal } = controller;

  const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName })))
    .StreamDescriptionSummary;
  const streamArn = summary?.StreamARN;
  if (!streamArn) throw new Error(`DescribeStreamSummary of ${streamName} returned no stream ARN`);
  const { store, note } = await CheckpointStore.open(config.checkpointFile, {
    streamName,
    streamArn,
    createdAt: summary?.StreamCreationTimestamp?.toISOString(),
  });
  if (note.kind === 'other-stream') {
    print.warn(
      `[local] ${config.checkpointFile} holds checkpoints of another stream (${note.stored.streamArn}, created ${note.stored.createdAt ?? 'unknown'}); starting at ${config.startingPosition} and replacing it`,
    );
  }

  const stats = new PollerStats();
  const { account, region } = parseStreamArn(streamArn);
  const deps: ShardReaderDeps = {
    client,
    config,
    source: eventSourceOf(streamArn, options.functionName),
    identity: { functionName: options.functionName, region, account },
    invoker: options.invoker,
    store,
    stats,
    print,
    receiver: options.receiver,
    minGetRecordsIntervalMs: options.minGetRecordsIntervalMs ?? 200,
    signal,
    now,
  };

  const readers = new Map<string, Promise<void>>();
  let failure: unknown;
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Whoever awaits `done` gets the error; this only keeps an unobserved failure from crashing the process.
  done.catch(() => {});

  const fail = (error: unknown) => {
    if (failure !== undefined || signal.aborted) return;
    failure = error;
    print.warn(`[local] stopping: ${(error as Error).message ?? String(error)}`);
    controller.abort();
    void Promise.allSettled(readers.values()).then(() => settle?.reject(error));
  };

  const startReader = (shardId: string, from: IteratorStart) => {
    const reader = readShard(deps, shardId, from).then(
      (end) => {
        readers.delete(shardId);
        if (end === 'finished') void sync();
      },
      (error: unknown) => {
        readers.delete(shardId);
        fail(error);
      },
    );
    readers.set(shardId, reader);
  };

  // Discovers shards and starts those that may start; runs one at a time.
  let syncing = Promise.resolve();
  const sync = (): Promise<void> => {
    syncing = syncing.then(async () => {
      if (signal.aborted) return;
      try {
        const shards = await listShards(client, streamName, signal);
        if (store.empty) {
          for (const [shardId, checkpoint] of initialCheckpoints(shards, config.startingPosition)) {
            store.set(shardId, checkpoint);
          }
          await store.save();
        }
        for (const shard of shards) {
          const progress = stats.shard(shard.shardId);
          if (store.get(shard.shardId)?.finished) progress.phase = 'finished';
        }
        for (const { shardId, from } of readyShards(shards, store.all(), new Set(readers.keys()))) {
          startReader(shardId, from);
        }
      } catch (error) {
        if (!signal.aborted) fail(error);
      }
    });
    return syncing;
  };

  await sync();
  if (failure !== undefined) throw failure;

  return {
    stats,
    streamArn,
    done,
    async stop(graceMs) {
      controller.abort();
      const running = new Set(readers.keys());
      const all = Promise.all(
        [...readers].map(([shardId, reader]) => reader.then(() => running.delete(shardId))),
      );
      await withTimeout(all, graceMs, () => undefined);
      await syncing;
      await store.save();
      if (failure === undefined) settle?.resolve();
      return { abandoned: [...running] };
    },
  };
};
