import { setTimeout as sleep } from 'node:timers/promises';
import type { KinesisStreamRecord } from 'aws-lambda';
import { createInvoker, type StreamHandler } from '../../src/hosts/invoker';
import { toEvent } from '../../src/hosts/kinesis/event';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import {
  dropExpired,
  type InvocationOutcome,
  type NextAction,
  nextAction,
  type PendingBatch,
  type RetryPolicy,
} from '../../src/hosts/local/mapping/event-source-mapping';

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

const IDENTITY = { functionName: 'kinesis-http-forwarder', region: 'eu-west-1', account: '123456789012' };

/**
 * Feeds every shard to the function the way Lambda's event source mapping does, shards side by side: a batch
 * is read from the checkpoint (up to `batchSize` records), the function is invoked with a Lambda-like context
 * and timeout, and the mapping's own rules (`nextAction`, from the local mode) decide what is checkpointed and
 * what is retried. A retry reads from the new checkpoint again, so it may pick up the records that follow.
 *
 * @throws when a shard needs more than `maxInvocationsPerShard` invocations.
 */
export const runEventSourceMapping = async (options: SimulationOptions): Promise<SimulationResult> => {
  const invocations: InvocationLog[] = [];
  const discarded: KinesisStreamRecord[] = [];
  const stop = new AbortController();

  const readShard = async (shardId: string, records: readonly KinesisStreamRecord[]) => {
    const invoker = createInvoker(options.newInstance());
    let position = 0;
    let retries = 0;
    let count = 0;
    while (position < records.length && !stop.signal.aborted) {
      count += 1;
      if (count > options.maxInvocationsPerShard) {
        throw new Error(
          `${shardId} still had ${records.length - position} record(s) to go after ${options.maxInvocationsPerShard} invocations`,
        );
      }
      const read: PendingBatch = { records: records.slice(position, position + options.batchSize), retries };
      const { batch, expired } = dropExpired(read, options.policy, Date.now());
      discarded.push(...expired);
      position += expired.length;
      if (batch.records.length === 0) continue;

      const started = performance.now();
      const outcome = await invoker.invoke(toEvent(batch.records), {
        timeoutMs: options.timeoutMs,
        context: () => createLambdaContext({ timeoutMs: options.timeoutMs, identity: IDENTITY }),
      });
      // Only an invocation called off by a stop signal has no outcome, and none is given here.
      if (outcome === undefined) throw new Error(`${shardId}: the invocation did not start`);
      const durationMs = performance.now() - started;
      const action = nextAction(batch, outcome, options.policy);
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

      if (action.kind === 'retry') {
        position += action.done.length;
        retries = action.batch.retries;
        await sleep(action.delayMs);
      } else {
        if (action.kind === 'discard') discarded.push(...action.discarded);
        position += batch.records.length;
        retries = 0;
      }
    }
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
