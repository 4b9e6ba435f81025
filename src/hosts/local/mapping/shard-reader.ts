import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { pause } from '../../../lib/timers';
import type { Invoker } from '../../invoker';
import type { EventSource } from '../../kinesis/event';
import type { FunctionIdentity } from '../../lambda-context';
import type { LocalConfig } from '../config';
import type { PollerStats } from '../console/poller-stats';
import type { Printer } from '../console/printer';
import type { CheckpointStore } from './checkpoint-store';
import { kinesisShardSource } from './kinesis-shard-source';
import { appendDiscarded } from './on-failure-file';
import type { IteratorStart } from './shard-lineage';
import { mapShard } from './shard-mapping';

/** Everything a shard reader needs; shared by all readers of a stream. */
export interface ShardReaderDeps {
  readonly client: KinesisClient;
  readonly config: LocalConfig;
  readonly source: EventSource;
  readonly identity: FunctionIdentity;
  readonly invoker: Invoker;
  readonly store: CheckpointStore;
  readonly stats: PollerStats;
  readonly print: Printer;
  /** Least time between two GetRecords calls on one shard (Kinesis allows 5 per second). */
  readonly minGetRecordsIntervalMs: number;
  /** Aborted when the poller stops: no new batch or retry starts. */
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/** How a shard reader ended. */
export type ReaderEnd = 'finished' | 'stopped';

/**
 * Reads one shard from `from` to its end (or until stopped) and feeds it to the function under Lambda's event
 * source mapping rules (`mapShard`), keeping its checkpoint, the on-failure file and the counters.
 *
 * @throws when Kinesis fails in a way retrying cannot fix (a missing stream, a bad checkpoint, ...).
 */
export const readShard = async (
  deps: ShardReaderDeps,
  shardId: string,
  from: IteratorStart,
): Promise<ReaderEnd> => {
  const { config, signal, store, stats, print } = deps;
  const progress = stats.shard(shardId);
  progress.phase = 'reading';

  const discard = async (records: readonly KinesisStreamRecord[], reason: string, retries: number) => {
    await appendDiscarded(config.onFailureFile, {
      reason,
      shardId,
      streamArn: deps.source.streamArn,
      retries,
      records,
    });
    stats.discarded += records.length;
    const first = records[0]?.kinesis.sequenceNumber;
    print.warn(
      `[local] discarded ${records.length} record(s) of ${shardId} from sequence number ${first}: ${reason}; written to ${config.onFailureFile}`,
    );
  };

  const source = kinesisShardSource({ ...deps, shardId, from, progress });
  const end = await mapShard(source, {
    ...deps,
    wait: (ms) => pause(ms, signal),
    checkpoint: async (sequenceNumber) => {
      store.set(shardId, { ...store.get(shardId), sequenceNumber });
      await store.save();
    },
    discard,
    onInvocation: ({ batch, action }) => {
      stats.invocations += 1;
      stats.forwarded += action.done.length;
      if (action.kind !== 'advance') stats.failed += batch.records.length - action.done.length;
      progress.phase = action.kind === 'retry' ? 'retrying' : 'reading';
    },
    onRetry: (action) =>
      print.warn(
        `[local] ${shardId}: ${action.reason}; retry ${action.batch.retries} from sequence number ${action.batch.records[0]?.kinesis.sequenceNumber} in ${action.delayMs} ms`,
      ),
  });
  if (end === 'stopped') return 'stopped';
  // A closed shard read to its end: its children may start.
  store.set(shardId, { ...store.get(shardId), finished: true });
  await store.save();
  progress.phase = 'finished';
  return 'finished';
};
