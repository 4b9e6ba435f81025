import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { pause } from '../../../lib/timers';
import { backoffDelay } from '../../../services/delivery/backoff';
import { classifyKinesisError, describeKinesisError } from '../../kinesis/errors';
import { type EventSource, toEventRecord } from '../../kinesis/event';
import type { LocalConfig } from '../config';
import type { ShardProgress } from '../console/poller-stats';
import type { Printer } from '../console/printer';
import type { IteratorStart } from './shard-lineage';
import type { ShardSource } from './shard-mapping';

export interface KinesisShardSourceOptions {
  readonly client: KinesisClient;
  readonly config: LocalConfig;
  readonly shardId: string;
  /** Where reading starts: the shard's checkpoint, or the starting position. */
  readonly from: IteratorStart;
  readonly source: EventSource;
  readonly progress: ShardProgress;
  readonly print: Printer;
  /** Least time between two GetRecords calls (Kinesis allows 5 per second). */
  readonly minGetRecordsIntervalMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
}

/**
 * A shard read with GetShardIterator and GetRecords, as Lambda's event source mapping polls it: at most one call per
 * `minGetRecordsIntervalMs`, a pause of POLL_INTERVAL_MS after a read with nothing new, throttling and network
 * trouble waited out with backoff, an expired iterator replaced by one that neither skips nor repeats records.
 *
 * @throws from `read` when Kinesis fails in a way retrying cannot fix (a missing stream, a bad checkpoint, ...).
 */
export const kinesisShardSource = (options: KinesisShardSourceOptions): ShardSource => {
  const { client, config, shardId, progress, print, signal, now } = options;
  let position = options.from;
  let iterator: string | undefined;
  let ended = false;
  let lastCallAt = Number.NEGATIVE_INFINITY;
  let troubles = 0;

  const openIterator = async (): Promise<string | undefined> => {
    const start = position;
    const output = await client.send(
      new GetShardIteratorCommand({
        StreamName: config.streamName,
        ShardId: shardId,
        ShardIteratorType: start.type,
        ...('sequenceNumber' in start ? { StartingSequenceNumber: start.sequenceNumber } : {}),
      }),
      { abortSignal: signal },
    );
    return output.ShardIterator;
  };

  // Throttling and network trouble wait and try again; anything else ends the reading with the error.
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

  const getRecords = async (limit: number): Promise<GetRecordsCommandOutput | undefined> => {
    while (!signal.aborted) {
      if (iterator === undefined) {
        try {
          iterator = await openIterator();
          if (iterator === undefined) throw new Error(`GetShardIterator on ${shardId} returned no iterator`);
        } catch (error) {
          if ((await recover(error, 'GetShardIterator')) === 'stop') return undefined;
          continue;
        }
      }
      await pause(lastCallAt + options.minGetRecordsIntervalMs - now(), signal);
      if (signal.aborted) return undefined;
      lastCallAt = now();
      try {
        const output = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }), {
          abortSignal: signal,
        });
        troubles = 0;
        return output;
      } catch (error) {
        const next = await recover(error, 'GetRecords');
        if (next === 'stop') return undefined;
        if (next === 'reopen') iterator = undefined;
      }
    }
    return undefined;
  };

  return {
    async read(limit) {
      if (ended) return 'end';
      const output = await getRecords(limit);
      if (output === undefined) return undefined;
      progress.millisBehind = output.MillisBehindLatest;
      const records: KinesisStreamRecord[] = (output.Records ?? []).map((record) =>
        toEventRecord(record, shardId, options.source),
      );
      const last = records.at(-1)?.kinesis.sequenceNumber;
      // A new iterator (after an expired one) goes on right after what was read.
      if (last !== undefined) position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
      if (output.NextShardIterator === undefined || output.NextShardIterator === null) {
        // A closed shard read to its end.
        ended = true;
        return records.length > 0 ? records : 'end';
      }
      iterator = output.NextShardIterator;
      if (records.length === 0 && !output.MillisBehindLatest) await pause(config.pollIntervalMs, signal);
      return records;
    },
    rewind(sequenceNumber) {
      position = { type: 'AT_SEQUENCE_NUMBER', sequenceNumber };
      iterator = undefined;
      ended = false;
    },
  };
};
