import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { pause } from '../../../lib/timers';
import { backoffDelay } from '../../../services/delivery/backoff';
import type { Invoker } from '../../invoker';
import { classifyKinesisError, describeKinesisError } from '../../kinesis/errors';
import { type EventSource, toEvent, toEventRecord } from '../../kinesis/event';
import { createLambdaContext, type FunctionIdentity } from '../../lambda-context';
import type { PollerStats, ShardProgress } from '../console/poller-stats';
import type { Printer } from '../console/printer';
import type { CheckpointStore } from './checkpoint-store';
import { dropExpired, nextAction, type PendingBatch, type RetryPolicy } from './event-source-mapping';
import { appendDiscarded } from './on-failure-file';
import type { IteratorStart } from './shard-lineage';

/** Everything a shard reader needs; shared by all readers of a stream. */
export interface ShardReaderDeps {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly source: EventSource;
  readonly identity: FunctionIdentity;
  readonly invoker: Invoker;
  readonly store: CheckpointStore;
  readonly stats: PollerStats;
  readonly print: Printer;
  readonly policy: RetryPolicy;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly invocationTimeoutMs: number;
  /** Least time between two GetRecords calls on one shard (Kinesis allows 5 per second). */
  readonly minGetRecordsIntervalMs: number;
  readonly onFailureFile: string;
  /** Aborted when the poller stops: no new batch or retry starts. */
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/** How a shard reader ended. */
export type ReaderEnd = 'finished' | 'stopped';

/**
 * Reads one shard from `from` to its end (or until stopped), one batch after another, and hands each batch to
 * the function under the event source mapping's rules, checkpointing as it goes.
 *
 * @throws when Kinesis fails in a way retrying cannot fix (a missing stream, a bad checkpoint, ...).
 */
export const readShard = async (
  deps: ShardReaderDeps,
  shardId: string,
  from: IteratorStart,
): Promise<ReaderEnd> => {
  const { client, streamName, signal, store, stats, print, now } = deps;
  const progress: ShardProgress = stats.shard(shardId);
  progress.phase = 'reading';
  let lastGetRecordsAt = Number.NEGATIVE_INFINITY;
  let troubles = 0;

  // Where a new iterator starts: `from` until a record is done, then right after the last one done, so a
  // fresh iterator (after an expired one) neither skips nor repeats records.
  let resumeAt = from;
  const checkpoint = async (sequenceNumber: string) => {
    store.set(shardId, { ...store.get(shardId), sequenceNumber });
    resumeAt = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber };
    await store.save();
  };

  const openIterator = async (): Promise<string | undefined> => {
    const start = resumeAt;
    const output = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: start.type,
        ...(start.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: start.sequenceNumber } : {}),
      }),
      { abortSignal: signal },
    );
    return output.ShardIterator;
  };

  // Throttling and network trouble wait and try again; anything else ends the reader with the error.
  const recover = async (error: unknown, what: string): Promise<'retry' | 'reopen' | 'stop'> => {
    const failure = classifyKinesisError(error, signal);
    if (failure === 'aborted') return 'stop';
    if (failure === 'expired-iterator') return 'reopen';
    if (failure === 'fatal') throw new Error(`${what} on ${shardId} failed: ${describeKinesisError(error)}`);
    troubles += 1;
    const delay = backoffDelay(troubles, 200, 10_000);
    if (failure === 'transient' || troubles === 1 || troubles % 10 === 0) {
      print.warn(
        `[local] ${what} on ${shardId}: ${describeKinesisError(error)}; trying again in ${delay} ms`,
      );
    }
    await pause(delay, signal);
    return signal.aborted ? 'stop' : 'retry';
  };

  const discard = async (records: readonly KinesisStreamRecord[], reason: string, retries: number) => {
    await appendDiscarded(deps.onFailureFile, {
      reason,
      shardId,
      streamArn: deps.source.streamArn,
      retries,
      records,
    });
    stats.discarded += records.length;
    const first = records[0]?.kinesis.sequenceNumber;
    print.warn(
      `[local] discarded ${records.length} record(s) of ${shardId} from sequence number ${first}: ${reason}; written to ${deps.onFailureFile}`,
    );
  };

  // One batch, invoked and retried until it is done, given up, or the poller stops.
  const processBatch = async (records: KinesisStreamRecord[]): Promise<void> => {
    let batch: PendingBatch = { records, retries: 0 };
    for (;;) {
      const aged = dropExpired(batch, deps.policy, now());
      if (aged.expired.length > 0) {
        await discard(aged.expired, 'older than MAX_RECORD_AGE_SECONDS', batch.retries);
        const last = aged.expired.at(-1);
        if (last) await checkpoint(last.kinesis.sequenceNumber);
      }
      batch = aged.batch;
      if (batch.records.length === 0 || signal.aborted) return;

      const outcome = await deps.invoker.invoke(toEvent(batch.records), {
        timeoutMs: deps.invocationTimeoutMs,
        context: () =>
          createLambdaContext({ timeoutMs: deps.invocationTimeoutMs, identity: deps.identity, now }),
        signal,
      });
      // Stopped while waiting for the function: the batch is read again next time.
      if (outcome === undefined) return;
      stats.invocations += 1;
      const action = nextAction(batch, outcome, deps.policy);
      stats.forwarded += action.done.length;

      if (action.kind === 'advance') {
        await checkpoint(action.checkpoint);
        progress.phase = 'reading';
        return;
      }
      stats.failed += batch.records.length - action.done.length;
      if (action.kind === 'discard') {
        await discard(action.discarded, action.reason, batch.retries);
        await checkpoint(action.checkpoint);
        progress.phase = 'reading';
        return;
      }
      if (action.checkpoint !== undefined) await checkpoint(action.checkpoint);
      progress.phase = 'retrying';
      print.warn(
        `[local] ${shardId}: ${action.reason}; retry ${action.batch.retries} of ${action.batch.records.length} record(s) in ${action.delayMs} ms`,
      );
      await pause(action.delayMs, signal);
      batch = action.batch;
    }
  };

  let iterator: string | undefined;
  while (!signal.aborted) {
    if (iterator === undefined) {
      try {
        iterator = await openIterator();
        if (iterator === undefined) throw new Error(`GetShardIterator on ${shardId} returned no iterator`);
      } catch (error) {
        if ((await recover(error, 'GetShardIterator')) === 'stop') break;
        continue;
      }
    }

    await pause(lastGetRecordsAt + deps.minGetRecordsIntervalMs - now(), signal);
    if (signal.aborted) break;
    lastGetRecordsAt = now();
    let output: GetRecordsCommandOutput;
    try {
      output = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: deps.batchSize }), {
        abortSignal: signal,
      });
    } catch (error) {
      const next = await recover(error, 'GetRecords');
      if (next === 'stop') break;
      if (next === 'reopen') iterator = undefined;
      continue;
    }
    troubles = 0;
    progress.millisBehind = output.MillisBehindLatest;

    const records = (output.Records ?? []).map((record) => toEventRecord(record, shardId, deps.source));
    if (records.length > 0) await processBatch(records);
    if (signal.aborted) break;

    if (output.NextShardIterator === undefined || output.NextShardIterator === null) {
      // A closed shard read to its end: its children may start.
      store.set(shardId, { ...store.get(shardId), finished: true });
      await store.save();
      progress.phase = 'finished';
      return 'finished';
    }
    iterator = output.NextShardIterator;
    if (records.length === 0 && !output.MillisBehindLatest) await pause(deps.pollIntervalMs, signal);
  }
  return 'stopped';
};
