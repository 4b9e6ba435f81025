import { subscribe } from 'node:diagnostics_channel';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { Semaphore } from '../lib/semaphore';
import { withTimeout } from '../lib/timers';
import { INVOCATION_REPORTS, type InvocationReport } from '../services/observability/invocation-report';
import type { InvocationOutcome } from './local/mapping/event-source-mapping';

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

/**
 * Creates Lambda's InvokeStore for invocations that run at once, as Lambda's runtime does before it loads a
 * function that may be invoked concurrently: Powertools looks for it as soon as it loads. Call it before loading.
 */
export const startInvokeStore = () => InvokeStore.getInstanceAsync(true);

// Each invocation's report reaches the invocation it names. Not by async context: under load an invocation was seen
// running in another's InvokeStore context, and its report would have gone to that one.
const reportTo = new Map<string, (report: InvocationReport) => void>();
let listening = false;
const listenForReports = () => {
  if (listening) return;
  listening = true;
  subscribe(INVOCATION_REPORTS, (message) => {
    const report = message as InvocationReport;
    reportTo.get(report.awsRequestId)?.(report);
  });
};

/** Calls the function like a pool of Lambda instances does: a bounded number of invocations, each with a timeout. */
export interface Invoker {
  /** Resolves with what the invocation came to, or `undefined` when it was called off before it started. */
  invoke(event: KinesisStreamEvent, options: InvokeOptions): Promise<InvocationOutcome | undefined>;
}

/**
 * Wraps a handler loaded once in this process. Lambda gives each shard its own instance; here up to `instances`
 * invocations (of different shards: the poller never overlaps batches of one shard) share the process and its
 * connection pool. With 1, shards take turns like invocations of a single instance.
 *
 * An invocation that outlives its timeout counts as timed out at once (its batch is retried), but the instance
 * stays busy until it ends: Lambda would have stopped it, which a process cannot do to its own code.
 *
 * The report the function publishes of an invocation (its totals and why records failed) comes with the outcome.
 */
export const createInvoker = (handler: StreamHandler, instances = 1): Invoker => {
  const instance = new Semaphore(instances);
  listenForReports();
  return {
    async invoke(event, { timeoutMs, context, signal }) {
      await instance.acquire();
      if (signal?.aborted) {
        instance.release();
        return undefined;
      }
      // Each invocation runs in its own InvokeStore context, as Lambda's runtime runs concurrent invocations, so
      // Powertools keeps their request ids, log keys and metrics apart.
      const store = await startInvokeStore();
      const invocation = context();
      let report: InvocationReport | undefined;
      const withReport = () => (report === undefined ? {} : { report });
      reportTo.set(invocation.awsRequestId, (published) => {
        report = published;
      });
      const running = Promise.resolve()
        .then(() =>
          store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: invocation.awsRequestId }, () =>
            handler(event, invocation),
          ),
        )
        .then(
          (response): InvocationOutcome => ({ kind: 'returned', response, ...withReport() }),
          (error: unknown): InvocationOutcome => ({ kind: 'threw', error, ...withReport() }),
        );
      void running.finally(() => {
        reportTo.delete(invocation.awsRequestId);
        instance.release();
      });
      return withTimeout(running, timeoutMs, (): InvocationOutcome => ({ kind: 'timed-out', timeoutMs }));
    },
  };
};
