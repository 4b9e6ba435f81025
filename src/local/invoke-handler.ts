import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { Semaphore } from '../services/semaphore';
import type { InvocationOutcome } from './event-source-mapping';

/** The function as Lambda calls it. */
export type StreamHandler = (event: KinesisStreamEvent, context: Context) => Promise<unknown>;

export interface InvokeOptions {
  /** The invocation's timeout, counted from when the function starts. */
  readonly timeoutMs: number;
  /** Builds the context when the invocation starts, so its remaining time starts with it. */
  readonly context: () => Context;
  /** Once aborted, an invocation still waiting for the instance does not start. */
  readonly signal?: AbortSignal;
}

/** Calls the function like one Lambda instance does: one invocation at a time, each with a timeout. */
export interface Invoker {
  /** Resolves with what the invocation came to, or `undefined` when it was called off before it started. */
  invoke(event: KinesisStreamEvent, options: InvokeOptions): Promise<InvocationOutcome | undefined>;
}

/**
 * Wraps a handler loaded once in this process. A Lambda instance runs one invocation at a time, and the
 * function relies on that (its batch processor is per instance), so shards take turns here.
 *
 * An invocation that outlives its timeout counts as timed out at once (its batch is retried), but the instance
 * stays busy until it ends: Lambda would have stopped it, which a process cannot do to its own code.
 */
export const createInvoker = (handler: StreamHandler): Invoker => {
  const instance = new Semaphore(1);
  return {
    async invoke(event, { timeoutMs, context, signal }) {
      await instance.acquire();
      if (signal?.aborted) {
        instance.release();
        return undefined;
      }
      const running = Promise.resolve()
        .then(() => handler(event, context()))
        .then(
          (response): InvocationOutcome => ({ kind: 'returned', response }),
          (error: unknown): InvocationOutcome => ({ kind: 'threw', error }),
        );
      void running.finally(() => instance.release());
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<InvocationOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'timed-out', timeoutMs }), timeoutMs);
      });
      try {
        return await Promise.race([running, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
