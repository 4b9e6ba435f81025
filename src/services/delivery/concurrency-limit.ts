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

// Fewer answers in a window say little of the latency: one slow answer is no trend.
const MIN_RTT_SAMPLES = 3;
// The longest wait between probes above a capacity found again and again: about a second at 20 ms round trips.
const MAX_PROBE_INTERVAL = 48;

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
 * signal (429, 503, a timeout) or a round-trip time rising well above its average. Like Vector's adaptive request
 * concurrency (moving average of the round-trip time with alpha 0.4, rising latency at 2.5 deviations, decrease
 * ratio 0.9), with these changes for a Lambda container that lives across many short invocations and for receivers
 * that refuse what they cannot serve:
 * - it is kept by the container, so each invocation starts from what the previous ones learned;
 * - until the first refusal it doubles each window (slow start), so a new container reaches the receiver's capacity
 *   in a few round trips instead of one step per round trip from 1; the first refusal halves it;
 * - a refusal lowers the limit at once, not at the window's end: it frees its place fast, and that place would go to
 *   request after request the receiver refuses too;
 * - latency is judged on windows of at least three answers, so one slow answer is no trend;
 * - after a decrease it waits a few windows before it increases again, twice as long each time the receiver
 *   refuses at the same limit again, so it stays just below a capacity it keeps finding instead of probing past it.
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
  // Windows to wait after the next decrease: longer each time the receiver refuses at the same limit again.
  #probeInterval: number;
  #refusedAt: number | undefined;
  #rttMean: number | undefined;
  #rttDeviation = 0;
  #window = { start: 0, rttSum: 0, rttCount: 0, saturated: false };

  constructor(options: AdaptiveLimitOptions) {
    this.#ceiling = options.ceiling;
    this.#limit = Math.min(options.initial ?? 1, options.ceiling);
    this.#alpha = options.rttAlpha ?? 0.4;
    this.#deviationScale = options.rttDeviationScale ?? 2.5;
    this.#decreaseRatio = options.decreaseRatio ?? 0.9;
    this.#cooldownWindows = options.cooldownWindows ?? 3;
    this.#probeInterval = this.#cooldownWindows;
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
    const now = this.#now();
    // An answer to a request sent before this window began speaks of an earlier limit, already judged.
    if (feedback !== undefined && feedback.startedAt >= this.#window.start) {
      if (feedback.overloaded) {
        // At once, not at the window's end: a refusal comes back fast and frees its place, which would otherwise go
        // straight to another request the receiver refuses, a dozen in one round trip.
        this.#decrease(true);
        this.#newWindow(now);
      } else if (feedback.rttMs !== undefined) {
        this.#window.rttSum += feedback.rttMs;
        this.#window.rttCount += 1;
      }
    }
    // A window lasts about one round trip, and until it holds enough answers to judge the latency by, unless no more
    // are coming.
    const due = now - this.#window.start >= Math.max(this.#minWindowMs, this.#rttMean ?? 0);
    if (due && (this.#window.rttCount >= this.#samplesNeeded() || this.#inFlight === 0)) this.#decide(now);
    while (this.#inFlight < this.#limit) {
      const next = this.#waiting.shift();
      if (next === undefined) break;
      this.#start();
      next();
    }
  }

  /** Lowers the limit: by half on the first refusal (slow start overshoots by up to double), else by the ratio. */
  #decrease(refused: boolean): void {
    if (refused) {
      // Refused again where it was refused before: the receiver's capacity has not moved, so probe it less often.
      const again = this.#refusedAt !== undefined && Math.abs(this.#limit - this.#refusedAt) <= 1;
      this.#probeInterval = again
        ? Math.min(MAX_PROBE_INTERVAL, this.#probeInterval * 2)
        : this.#cooldownWindows;
      this.#refusedAt = this.#limit;
    }
    const ratio = this.#slowStart && refused ? 0.5 : this.#decreaseRatio;
    this.#limit = Math.max(1, Math.floor(this.#limit * ratio));
    this.#slowStart = false;
    this.#cooldown = this.#probeInterval;
  }

  #samplesNeeded(): number {
    return Math.min(MIN_RTT_SAMPLES, this.#limit);
  }

  #newWindow(now: number): void {
    this.#window = { start: now, rttSum: 0, rttCount: 0, saturated: this.#inFlight >= this.#limit };
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
      window.rttCount >= this.#samplesNeeded() &&
      this.#rttMean !== undefined &&
      mean > this.#rttMean + this.#deviationScale * Math.max(this.#rttDeviation, this.#rttMean / 10, 1);
    if (rising) this.#decrease(false);
    else if (window.saturated) {
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
    this.#newWindow(now);
  }
}
