import { pause } from '../../lib/timers';

/** Why a request could not start before the deadline. */
export type GateRefusal = { readonly reason: string };

export interface ReceiverGateOptions {
  /** Most requests started per second (FORWARD_MAX_RPS); undefined for no cap. */
  readonly maxRps: number | undefined;
  readonly now?: () => number;
}

/**
 * When the next request to the receiver may start: not while the receiver asked everyone to wait (a 429 or 503 with
 * `Retry-After` pauses every request, not just the one it answered), and not faster than the rate cap. The cap is a
 * token bucket of one token: requests are spaced evenly, so no window of a second ever holds more than the cap
 * (and one). Kept by the container, like the receiver it stands for.
 */
export class ReceiverGate {
  readonly #maxRps: number | undefined;
  readonly #now: () => number;
  #pausedUntil = 0;
  #tokens: number;
  #refilledAt: number;
  /** Milliseconds the receiver asked to be left alone (Retry-After), overlaps counted once; only grows. */
  pausedMs = 0;

  constructor({ maxRps, now = Date.now }: ReceiverGateOptions) {
    this.#maxRps = maxRps;
    this.#now = now;
    this.#tokens = 1;
    this.#refilledAt = now();
  }

  /** The receiver asked for `ms` of quiet (Retry-After); requests start again after it. */
  pauseFor(ms: number): void {
    const now = this.#now();
    const until = now + ms;
    if (until <= this.#pausedUntil) return;
    this.pausedMs += until - Math.max(now, this.#pausedUntil);
    this.#pausedUntil = until;
  }

  /**
   * Waits until a request may start, within `deadline` (epoch ms) less `minAttemptMs`: resolves undefined when it
   * may, or why not when the pause or the rate cap would take it past the deadline. `signal` cuts the wait short.
   */
  async ready(deadline: number, minAttemptMs: number, signal: AbortSignal): Promise<GateRefusal | undefined> {
    for (;;) {
      const now = this.#now();
      if (this.#pausedUntil > now) {
        if (this.#pausedUntil + minAttemptMs > deadline) {
          return { reason: `the receiver asked to wait (Retry-After) until after the deadline` };
        }
        await pause(this.#pausedUntil - now, signal);
        if (signal.aborted) return { reason: 'no time left before the deadline' };
        continue;
      }
      const wait = this.#take(now);
      if (wait === 0) return undefined;
      if (now + wait + minAttemptMs > deadline) {
        return { reason: `FORWARD_MAX_RPS (${this.#maxRps}/s) leaves no room before the deadline` };
      }
      await pause(wait, signal);
      if (signal.aborted) return { reason: 'no time left before the deadline' };
    }
  }

  // Takes a token when there is one (0), or says how long until there is.
  #take(now: number): number {
    const rate = this.#maxRps;
    if (rate === undefined) return 0;
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) * 1000) / rate);
  }
}
