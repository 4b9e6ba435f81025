import type { Config } from '../../config';
import type { Credentials } from '../auth/credentials';
import type { PostFn } from '../http/http-client';
import { CircuitBreaker } from './circuit-breaker';
import { type ConcurrencyLimit, staticLimit } from './concurrency-limit';
import type { DeliveryLedger } from './ledger';
import type { ReceiverGate } from './receiver-gate';

/** Counters of one invocation, for the summary line and the metrics. */
export interface DeliveryStats {
  retries: number;
  requests: number;
  /** Answers that said the receiver was overloaded: 429 and 503. */
  refused: number;
  /** Items not sent because the ledger knew they were delivered. */
  suppressed: number;
  readonly latenciesMs: number[];
}

/** What the container gives every invocation's deliveries. */
export interface DeliveryParts {
  readonly config: Config;
  readonly post: PostFn;
  readonly credentials: Credentials;
  readonly userAgent: string;
  /** The container's adaptive limit, kept across invocations; undefined for a fixed one per invocation. */
  readonly adaptiveLimit: ConcurrencyLimit | undefined;
  /** The container's view of when the receiver may be sent to (Retry-After pauses, the rate cap). */
  readonly gate: ReceiverGate;
  readonly ledger: DeliveryLedger;
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
  readonly limit: ConcurrencyLimit;
  readonly stats: DeliveryStats;
  /** Stops the deadline's timer; call once the invocation's deliveries are over. Returns the time paused. */
  readonly close: () => { readonly pausedMs: number };
}

/**
 * Opens one invocation's session: its deadline, whose timer aborts whatever is still in flight then, its own
 * circuit breaker, concurrency limit and counters. The one place a session is put together.
 */
export const openDeliverySession = (parts: DeliveryParts, deadline: number): DeliverySession => {
  const abort = new AbortController();
  const pausedBefore = parts.gate.pausedMs;
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - parts.now()));
  return {
    ...parts,
    deadline,
    deadlineSignal: abort.signal,
    breaker: new CircuitBreaker(parts.config.breakerThreshold),
    limit: parts.adaptiveLimit ?? staticLimit(parts.config.concurrency),
    stats: { retries: 0, requests: 0, refused: 0, suppressed: 0, latenciesMs: [] },
    close: () => {
      clearTimeout(timer);
      return { pausedMs: parts.gate.pausedMs - pausedBefore };
    },
  };
};
