import type { KinesisStreamRecord } from 'aws-lambda';
import { createInvoker, type StreamHandler } from '../../src/hosts/invoker';
import type {
  InvocationOutcome,
  NextAction,
  RetryPolicy,
} from '../../src/hosts/local/mapping/event-source-mapping';
import { mapShard, type ShardSource } from '../../src/hosts/local/mapping/shard-mapping';
import { pause } from '../../src/lib/timers';

/** One invocation of the function and what the event source mapping made of it. */
export interface InvocationLog {
  readonly shardId: string;
  readonly records: number;
  /** 0 for a batch's first invocation, then its retry number. */
  readonly retries: number;
  readonly outcome: InvocationOutcome['kind'];
  readonly action: NextAction['kind'];
  /** From the call to the function's answer (or to its timeout). */
  readonly durationMs: number;
  /** Event IDs checkpointed after this invocation: delivered, as far as the function's answer says. */
  readonly done: readonly string[];
  /** How many requests the receiver had seen when the function answered. */
  readonly requestsAtEnd: number;
}

export interface SimulationOptions {
  readonly shards: ReadonlyMap<string, readonly KinesisStreamRecord[]>;
  /** A cold-started function instance; each shard gets its own, as Lambda runs one instance per shard. */
  readonly newInstance: () => StreamHandler;
  readonly batchSize: number;
  /** The function's timeout, given to each invocation's context. */
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  /** A shard invoked more often than this fails the run, so a stuck shard cannot hang a test. */
  readonly maxInvocationsPerShard: number;
  /** The receiver's request count, stamped on every invocation. */
  readonly requestCount: () => number;
}

export interface SimulationResult {
  readonly invocations: readonly InvocationLog[];
  /** Records the mapping gave up on (only when retries are limited). */
  readonly discarded: readonly KinesisStreamRecord[];
}

/** Lambda's mapping with unlimited retries (nothing may be discarded), its backoff shortened for a quick run. */
export const UNLIMITED_RETRIES: RetryPolicy = {
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  backoffBaseMs: 10,
  backoffMaxMs: 100,
};

const IDENTITY = { functionName: 'kinesis-http-forwarder', region: 'eu-west-1', account: '123456789012' };

/** A shard held in memory: reads go on from the last read record, or from where the mapping rewinds to. */
const listSource = (records: readonly KinesisStreamRecord[]): ShardSource => {
  let position = 0;
  return {
    read: async (limit) => {
      if (position >= records.length) return 'end';
      const read = records.slice(position, position + limit);
      position += read.length;
      return read;
    },
    rewind: (sequenceNumber) => {
      position = records.findIndex((record) => record.kinesis.sequenceNumber === sequenceNumber);
      if (position === -1) throw new Error(`no record ${sequenceNumber} to rewind to`);
    },
  };
};

/**
 * Feeds every shard to the function with the local mode's own event source mapping (`mapShard`), shards side by
 * side, each from a list of records instead of Kinesis: a batch is read from the checkpoint (up to `batchSize`
 * records), the function is invoked with a Lambda-like context and timeout, Lambda's rules decide what is
 * checkpointed and what is retried, and a retry reads again from the lowest failed record, so it may pick up the
 * records that follow.
 *
 * @throws when a shard needs more than `maxInvocationsPerShard` invocations.
 */
export const runEventSourceMapping = async (options: SimulationOptions): Promise<SimulationResult> => {
  const invocations: InvocationLog[] = [];
  const discarded: KinesisStreamRecord[] = [];
  const stop = new AbortController();

  const readShard = async (shardId: string, records: readonly KinesisStreamRecord[]) => {
    let count = 0;
    let done = 0;
    await mapShard(listSource(records), {
      config: {
        retry: options.policy,
        batchSize: options.batchSize,
        invocationTimeoutMs: options.timeoutMs,
      },
      invoker: createInvoker(options.newInstance()),
      identity: IDENTITY,
      signal: stop.signal,
      now: Date.now,
      wait: (ms) => pause(ms, stop.signal),
      checkpoint: async (sequenceNumber) => {
        done = records.findIndex((record) => record.kinesis.sequenceNumber === sequenceNumber) + 1;
      },
      discard: async (records) => {
        discarded.push(...records);
      },
      onInvocation: ({ batch, outcome, action, durationMs }) => {
        count += 1;
        if (count > options.maxInvocationsPerShard) {
          throw new Error(
            `${shardId} still had ${records.length - done} record(s) to go after ${options.maxInvocationsPerShard} invocations`,
          );
        }
        invocations.push({
          shardId,
          records: batch.records.length,
          retries: batch.retries,
          outcome: outcome.kind,
          action: action.kind,
          durationMs,
          done: action.done.map((record) => record.eventID),
          requestsAtEnd: options.requestCount(),
        });
      },
    });
  };

  const results = await Promise.allSettled(
    [...options.shards].map(([shardId, records]) =>
      readShard(shardId, records).catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    ),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return { invocations, discarded };
};
