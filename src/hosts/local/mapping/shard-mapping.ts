import type { KinesisStreamRecord } from 'aws-lambda';
import type { Invoker } from '../../invoker';
import { toEvent } from '../../kinesis/event';
import { createLambdaContext, type FunctionIdentity } from '../../lambda-context';
import type { LocalConfig } from '../config';
import {
  dropExpired,
  type InvocationOutcome,
  type NextAction,
  nextAction,
  type PendingBatch,
} from './event-source-mapping';

/** Where a shard's records come from: Kinesis for the local mode, a list for the fault-injection suite. */
export interface ShardSource {
  /**
   * The next records, up to `limit`, in sequence-number order: an empty list when nothing new has arrived yet,
   * `end` when a closed shard has nothing more, `undefined` when reading was stopped.
   */
  read(limit: number): Promise<readonly KinesisStreamRecord[] | 'end' | undefined>;
  /** Reads on from `sequenceNumber`, that record included. */
  rewind(sequenceNumber: string): void;
}

/** One invocation of the function and what the mapping made of it. */
export interface MappedInvocation {
  readonly batch: PendingBatch;
  readonly outcome: InvocationOutcome;
  readonly action: NextAction;
  /** From the call to the function's answer (or to its timeout). */
  readonly durationMs: number;
}

/** What the mapping of one shard uses; its settings are the local mode's. */
export interface ShardMappingDeps {
  readonly config: Pick<LocalConfig, 'retry' | 'batchSize' | 'invocationTimeoutMs'>;
  readonly invoker: Invoker;
  readonly identity: FunctionIdentity;
  /** Aborted when the mapping stops: no new batch or retry starts. */
  readonly signal: AbortSignal;
  readonly now: () => number;
  /** Waits `ms`, or less once {@link signal} aborts. */
  readonly wait: (ms: number) => Promise<void>;
  /** Records that all records up to `sequenceNumber` are done. */
  readonly checkpoint: (sequenceNumber: string) => Promise<void>;
  /** Gives up on `records` (retries or record age exhausted), as Lambda sends them to the on-failure destination. */
  readonly discard: (
    records: readonly KinesisStreamRecord[],
    reason: string,
    retries: number,
  ) => Promise<void>;
  /** Told of every invocation, before the mapping acts on it. */
  readonly onInvocation?: (invocation: MappedInvocation) => void;
}

/**
 * Feeds one shard to the function the way Lambda's Kinesis event source mapping does: a batch is read from the
 * checkpoint, records older than the maximum age are discarded, the function is invoked, and its answer decides
 * (by `nextAction`, Lambda's rules) what is checkpointed. A retry reads again from the lowest failed record, so it
 * holds the records still to go and may take in the ones that follow, as Lambda's does. Ends when the source ends or
 * reading is stopped.
 */
export const mapShard = async (source: ShardSource, deps: ShardMappingDeps): Promise<'end' | 'stopped'> => {
  const { signal, config } = deps;
  let retries = 0;

  while (!signal.aborted) {
    const read = await source.read(config.batchSize);
    if (read === undefined) break;
    if (read === 'end') return 'end';
    if (read.length === 0) continue;

    const aged = dropExpired({ records: read, retries }, config.retry, deps.now());
    if (aged.expired.length > 0) {
      await deps.discard(aged.expired, 'older than the maximum record age', retries);
      const last = aged.expired.at(-1);
      if (last) await deps.checkpoint(last.kinesis.sequenceNumber);
    }
    const batch = aged.batch;
    if (batch.records.length === 0) continue;
    if (signal.aborted) break;

    const started = deps.now();
    const outcome = await deps.invoker.invoke(toEvent(batch.records), {
      timeoutMs: config.invocationTimeoutMs,
      context: () =>
        createLambdaContext({
          timeoutMs: config.invocationTimeoutMs,
          identity: deps.identity,
          now: deps.now,
        }),
      signal,
    });
    // Stopped while waiting for the function: the batch is read again next time.
    if (outcome === undefined) break;
    const action = nextAction(batch, outcome, config.retry);
    deps.onInvocation?.({ batch, outcome, action, durationMs: deps.now() - started });

    if (action.kind === 'retry') {
      if (action.checkpoint !== undefined) await deps.checkpoint(action.checkpoint);
      retries = action.batch.retries;
      await deps.wait(action.delayMs);
      // Lambda resumes at the lowest failed record.
      const resumeAt = action.batch.records[0]?.kinesis.sequenceNumber;
      if (resumeAt !== undefined) source.rewind(resumeAt);
      continue;
    }
    if (action.kind === 'discard') await deps.discard(action.discarded, action.reason, batch.retries);
    await deps.checkpoint(action.checkpoint);
    retries = 0;
  }
  return 'stopped';
};
