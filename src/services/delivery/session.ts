import type { Config } from '../../config';
import { Semaphore } from '../../lib/semaphore';
import type { Credentials } from '../auth/credentials';
import type { PostFn } from '../http/http-client';
import { CircuitBreaker } from './circuit-breaker';

/** Counters of one invocation, for the summary line and the metrics. */
export interface DeliveryStats {
  retries: number;
  requests: number;
  readonly latenciesMs: number[];
}

/** What the container gives every invocation's deliveries. */
export interface DeliveryParts {
  readonly config: Config;
  readonly post: PostFn;
  readonly credentials: Credentials;
  readonly userAgent: string;
  readonly now: () => number;
  readonly random: () => number;
}

/** Everything one invocation's deliveries share. */
export interface DeliverySession extends DeliveryParts {
  /** Epoch milliseconds after which no request may still be running. */
  readonly deadline: number;
  /** Aborted at {@link deadline}; cancels in-flight requests and waits. */
  readonly deadlineSignal: AbortSignal;
  readonly breaker: CircuitBreaker;
  /** Caps the requests in flight at once. */
  readonly limit: Semaphore;
  readonly stats: DeliveryStats;
  /** Stops the deadline's timer; call once the invocation's deliveries are over. */
  readonly close: () => void;
}

/**
 * Opens one invocation's session: its deadline, whose timer aborts whatever is still in flight then, its own
 * circuit breaker, concurrency limit and counters. The one place a session is put together.
 */
export const openDeliverySession = (parts: DeliveryParts, deadline: number): DeliverySession => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - parts.now()));
  return {
    ...parts,
    deadline,
    deadlineSignal: abort.signal,
    breaker: new CircuitBreaker(parts.config.breakerThreshold),
    limit: new Semaphore(parts.config.concurrency),
    stats: { retries: 0, requests: 0, latenciesMs: [] },
    close: () => clearTimeout(timer),
  };
};
