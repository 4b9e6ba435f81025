import type { AttemptResult } from '../http/http-client';

/** How an attempt counts: delivered, worth retrying, final for this invocation, or a rejected token. */
export type Verdict =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'transient'; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly outcome: 'final'; readonly reason: string }
  /** 401: final, unless a renewed token is worth one more attempt. */
  | { readonly outcome: 'unauthorized'; readonly reason: string }
  | { readonly outcome: 'deadline'; readonly reason: string };

const TRANSIENT_STATUSES = new Set([408, 429]);

/**
 * Parses a `Retry-After` header (delay in seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when the header is absent or unreadable.
 */
export const parseRetryAfter = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday and month; this keeps "-5" from parsing as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
};

/**
 * Judges one attempt: 2xx is delivered; connection errors, timeouts, 408, 429 and 5xx are transient;
 * 401 says the token was rejected; every other status (including redirects, which are not followed) is final for
 * this invocation.
 */
export const classifyAttempt = (result: AttemptResult, now: number): Verdict => {
  switch (result.kind) {
    case 'deadline':
      return { outcome: 'deadline', reason: 'aborted at the invocation deadline' };
    case 'timeout':
      return { outcome: 'transient', reason: 'request timed out', retryAfterMs: undefined };
    case 'error':
      return { outcome: 'transient', reason: `${result.code}: ${result.message}`, retryAfterMs: undefined };
    case 'response': {
      const { status } = result;
      if (status >= 200 && status < 300) return { outcome: 'delivered' };
      if (status === 401) return { outcome: 'unauthorized', reason: 'HTTP 401' };
      if (status >= 500 || TRANSIENT_STATUSES.has(status)) {
        return {
          outcome: 'transient',
          reason: `HTTP ${status}`,
          retryAfterMs: parseRetryAfter(result.retryAfter, now),
        };
      }
      return { outcome: 'final', reason: `HTTP ${status}` };
    }
  }
};
