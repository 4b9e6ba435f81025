import { Semaphore } from '../../lib/semaphore';

/** What one attempt tells the limit about the receiver. */
export interface AttemptFeedback {
  /** When the attempt was sent: what it tells is about that moment's limit. */
  readonly startedAt: number;
  /** Milliseconds from sending to the answer; undefined when there was no answer. */
  readonly rttMs: number | undefined;
  /** An overload signal: 429, 503, or no answer within the attempt's timeout. */
  readonly overloaded: boolean;
}

/** Caps the requests in flight at once. */
export interface ConcurrencyLimit {
  /** Resolves once a request may start; {@link release} must follow exactly once. */
  acquire(): Promise<void>;
  /** A request ended; `feedback` says how, when it had an answer or an overload to tell of. */
  release(feedback?: AttemptFeedback): void;
  /** The requests in flight it allows now. */
  current(): number;
}

/** A fixed number of requests in flight: FORWARD_ADAPTIVE_CONCURRENCY=false. */
export const staticLimit = (size: number): ConcurrencyLimit => {
  const semaphore = new Semaphore(size);
  return {
    acquire: () => semaphore.acquire(),
    release: () => semaphore.release(),
    current: () => size,
  };
};

export interface AdaptiveLimitOptions {
  /** The most requests in flight it may allow (FORWARD_CONCURRENCY). */
  readonly ceiling: number;
  readonly initial?: number;
  /** Weight of the newest window's round-trip time in the moving average. */
  readonly rttAlpha?: number;
  /** A window's mean round-trip time this many deviations above the average counts as rising latency. */
  readonly rttDeviationScale?: number;
  /** Factor applied to the limit on an overload signal, once it has found the receiver's capacity. */
  readonly decreaseRatio?: number;
  /** Windows without an increase after a decrease: the limit stays just below where the receiver pushed back. */
  readonly cooldownWindows?: number;
  /** Shortest window, so that a very fast receiver does not turn every request into a decision. */
  readonly minWindowMs?: number;
  readonly now?: () => number;
}

/**
 * Adapts the requests in flight to the receiver: more while answers come back fast and clean, fewer on an overload
 * signal (429, 503, a timeout) or a round-trip time rising well above its average. It decides once per window of
 * about one round trip, like Vector's adaptive request concurrency (moving average of the round-trip time with
 * alpha 0.4, rising latency at 2.5 deviations, decrease ratio 0.9), with three changes for a Lambda container that
 * lives across many short invocations:
 * - it is kept by the container, so each invocation starts from what the previous ones learned;
 * - until the first overload it doubles each window (slow start), so a new container reaches the receiver's
 *   capacity in a few round trips instead of one step per round trip from 1; the first overload halves it;
 * - after a decrease it waits a few windows before it increases again, so it stays just below the receiver's
 *   capacity instead of probing past it every other window.
 * It only grows while its limit was actually used in a window: a batch that needs less concurrency learns nothing.
 */
export class AdaptiveLimit implements ConcurrencyLimit {
  readonly #ceiling: number;
  readonly #alpha: number;
  readonly #deviationScale: number;
  readonly #decreaseRatio: number;
  readonly #cooldownWindows: number;
  readonly #minWindowMs: number;
  readonly #now: () => number;
  readonly #waiting: Array<() => void> = [];
  #limit: number;
  #inFlight = 0;
  #slowStart = true;
  #cooldown = 0;
  #rttMean: number | undefined;
  #rttDeviation = 0;
  #window = { start: 0, rttSum: 0, rttCount: 0, overloaded: false, saturated: false };

  constructor(options: AdaptiveLimitOptions) {
    this.#ceiling = options.ceiling;
    this.#limit = Math.min(options.initial ?? 1, options.ceiling);
    this.#alpha = options.rttAlpha ?? 0.4;
    this.#deviationScale = options.rttDeviationScale ?? 2.5;
    this.#decreaseRatio = options.decreaseRatio ?? 0.9;
    this.#cooldownWindows = options.cooldownWindows ?? 3;
    this.#minWindowMs = options.minWindowMs ?? 10;
    this.#now = options.now ?? Date.now;
    this.#window.start = this.#now();
  }

  current(): number {
    return this.#limit;
  }

  acquire(): Promise<void> {
    if (this.#inFlight < this.#limit) {
      this.#start();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(feedback?: AttemptFeedback): void {
    this.#inFlight -= 1;
    // An answer to a request sent before this window began speaks of an earlier limit, already judged.
    if (feedback !== undefined && feedback.startedAt >= this.#window.start) {
      if (feedback.overloaded) this.#window.overloaded = true;
      else if (feedback.rttMs !== undefined) {
        this.#window.rttSum += feedback.rttMs;
        this.#window.rttCount += 1;
      }
    }
    const now = this.#now();
    if (now - this.#window.start >= Math.max(this.#minWindowMs, this.#rttMean ?? 0)) this.#decide(now);
    while (this.#inFlight < this.#limit) {
      const next = this.#waiting.shift();
      if (next === undefined) break;
      this.#start();
      next();
    }
  }

  #start(): void {
    this.#inFlight += 1;
    if (this.#inFlight >= this.#limit) this.#window.saturated = true;
  }

  #decide(now: number): void {
    const window = this.#window;
    const mean = window.rttCount > 0 ? window.rttSum / window.rttCount : undefined;
    // A deviation of at least a tenth of the mean: a steady receiver's few milliseconds of jitter is no signal.
    const rising =
      mean !== undefined &&
      this.#rttMean !== undefined &&
      mean > this.#rttMean + this.#deviationScale * Math.max(this.#rttDeviation, this.#rttMean / 10, 1);
    if (window.overloaded || rising) {
      const ratio = this.#slowStart ? 0.5 : this.#decreaseRatio;
      this.#limit = Math.max(1, Math.floor(this.#limit * ratio));
      this.#slowStart = false;
      this.#cooldown = this.#cooldownWindows;
    } else if (window.saturated) {
      if (this.#cooldown > 0) this.#cooldown -= 1;
      else this.#limit = Math.min(this.#ceiling, this.#slowStart ? this.#limit * 2 : this.#limit + 1);
    }
    if (mean !== undefined) {
      if (this.#rttMean === undefined) this.#rttMean = mean;
      else {
        this.#rttDeviation =
          (1 - this.#alpha) * this.#rttDeviation + this.#alpha * Math.abs(mean - this.#rttMean);
        this.#rttMean = (1 - this.#alpha) * this.#rttMean + this.#alpha * mean;
      }
    }
    this.#window = {
      start: now,
      rttSum: 0,
      rttCount: 0,
      overloaded: false,
      saturated: this.#inFlight >= this.#limit,
    };
  }
}
