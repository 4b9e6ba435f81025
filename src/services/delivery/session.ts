import type { KinesisStreamRecord } from 'aws-lambda';
import type { Config } from '../../config';
import type { Semaphore } from '../../lib/semaphore';
import type { Renewal } from '../auth/auth-token';
import type { PostFn } from '../http/http-client';
import type { CircuitBreaker } from './circuit-breaker';

/** Counters of one invocation, for the summary line and the metrics. */
export interface DeliveryStats {
  retries: number;
  readonly latenciesMs: number[];
}

/** Everything one invocation's deliveries share. */
export interface DeliverySession {
  readonly config: Config;
  readonly post: PostFn;
  readonly headersFor: (record: KinesisStreamRecord) => Record<string, string>;
  /** Asks for a new `Authorization` value after the receiver rejected `rejected` with 401. */
  readonly renewAuth: (rejected: string | undefined) => Promise<Renewal>;
  /** Epoch milliseconds after which no request may still be running. */
  readonly deadline: number;
  /** Aborted at {@link deadline}; cancels in-flight requests and waits. */
  readonly deadlineSignal: AbortSignal;
  readonly breaker: CircuitBreaker;
  readonly semaphore: Semaphore;
  readonly stats: DeliveryStats;
  readonly now: () => number;
  readonly random: () => number;
}
