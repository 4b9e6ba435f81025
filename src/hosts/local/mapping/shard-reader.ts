import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { pause } from '../../../lib/timers';
import type { Invoker } from '../../invoker';
import type { EventSource } from '../../kinesis/event';
import type { FunctionIdentity } from '../../lambda-context';
import type { LocalConfig } from '../config';
import { failedInvocationLines } from '../console/failure-lines';
import type { PendingRetry, PollerStats } from '../console/poller-stats';
import type { Printer } from '../console/printer';
import type { CheckpointStore } from './checkpoint-store';
import { type InvocationOutcome, type NextAction, reportOf } from './event-source-mapping';
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
  /** The receiver's URL as it may be shown. */
  readonly receiver: string;
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

  // Records the last invocation left to retry: those of the next invocation count as retried.
  let waiting = new Set<string>();
  const pendingRetry = (
    action: Extract<NextAction, { kind: 'retry' }>,
    outcome: InvocationOutcome,
  ): PendingRetry => {
    const report = reportOf(outcome);
    return {
      records: action.batch.records.length,
      heldBack: (report?.heldBack ?? 0) + (report?.skipped ?? 0),
      oldestArrivalMs: (action.batch.records[0]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000,
      since: progress.retrying?.since ?? deps.now(),
    };
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
    onInvocation: ({ batch, outcome, action }) => {
      stats.invocations += 1;
      stats.delivered += action.done.length;
      const report = reportOf(outcome);
      if (report !== undefined) {
        stats.suppressed += report.suppressed;
        stats.concurrencyLimit = report.concurrencyLimit;
      }
      if (batch.retries > 0) {
        stats.retried += batch.records.filter((record) => waiting.has(record.kinesis.sequenceNumber)).length;
      }
      waiting = new Set(
        action.kind === 'retry' ? action.batch.records.map((record) => record.kinesis.sequenceNumber) : [],
      );
      progress.retrying = action.kind === 'retry' ? pendingRetry(action, outcome) : undefined;
      if (action.kind !== 'advance') {
        for (const line of failedInvocationLines(shardId, deps.receiver, outcome, action)) print.warn(line);
      }
    },
  });
  if (end === 'stopped') return 'stopped';
  // A closed shard read to its end: its children may start.
  store.set(shardId, { ...store.get(shardId), finished: true });
  await store.save();
  progress.phase = 'finished';
  return 'finished';
};
