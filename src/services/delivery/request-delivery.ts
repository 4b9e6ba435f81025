import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { isObject } from '../../lib/guards';
import { pause } from '../../lib/timers';
import type { Renewal } from '../auth/auth-token';
import type { CredentialsUsed } from '../auth/credentials';
import type { AttemptResult } from '../http/http-client';
import { backoffDelay } from './backoff';
import type { AttemptFeedback } from './concurrency-limit';
import type { Request } from './request';
import type { DeliverySession } from './session';
import { classifyAttempt } from './verdict';

/** An attempt needs at least this long (or the whole timeout, when shorter) before the deadline to be started. */
export const MIN_ATTEMPT_MS = 100;

const compress = promisify(gzip);

/** What became of one request in this invocation. */
export type RequestOutcome =
  | {
      readonly status: 'delivered';
      readonly attempts: number;
      readonly latencyMs: number;
      /** Ids of the items the receiver said it did not accept (its per-item result); empty when it took them all. */
      readonly rejected: ReadonlySet<string>;
    }
  /** Attempted and not delivered: a final status, attempts exhausted, or cut short by time or the breaker. */
  | { readonly status: 'failed'; readonly attempts: number; readonly reason: string }
  /** Not sent: the circuit was open or no time was left. */
  | { readonly status: 'skipped'; readonly reason: string };

const NONE: ReadonlySet<string> = new Set();

// What tells the concurrency limit the receiver is overloaded: it said so (429, 503), or did not answer in time.
const overloaded = (result: AttemptResult): boolean =>
  result.kind === 'timeout' ||
  (result.kind === 'response' && (result.status === 429 || result.status === 503));

const feedbackOf = (
  result: AttemptResult,
  startedAt: number,
  endedAt: number,
): AttemptFeedback | undefined => {
  if (result.kind === 'deadline') return undefined;
  return {
    startedAt,
    rttMs: result.kind === 'response' ? endedAt - startedAt : undefined,
    overloaded: overloaded(result),
  };
};

/**
 * Reads a receiver's per-item result from a 2xx answer to a request of several items: a JSON object whose
 * `rejected` field lists the ids (`Idempotency-Key`s of the items) it did not accept. Without such a field the
 * answer accepts the whole request.
 *
 * @returns the ids, or a problem when `rejected` is there but not a list of ids.
 */
export const parseItemResults = (body: string | undefined): ReadonlySet<string> | { problem: string } => {
  if (body === undefined || !body.trimStart().startsWith('{')) return NONE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return NONE;
  }
  if (!isObject(parsed) || parsed.rejected === undefined) return NONE;
  const { rejected } = parsed;
  if (!Array.isArray(rejected) || !rejected.every((id) => typeof id === 'string')) {
    return { problem: 'the receiver answered 2xx with a "rejected" field that is not a list of ids' };
  }
  return new Set(rejected);
};

// A renewal must not outlast the invocation: at the deadline the request gives up waiting for it.
const renewBeforeDeadline = (session: DeliverySession, used: CredentialsUsed): Promise<Renewal> => {
  const signal = session.deadlineSignal;
  const timeUp: Renewal = { renewed: false, note: 'no time left to renew the credentials' };
  if (signal.aborted) return Promise.resolve(timeUp);
  return new Promise((resolve) => {
    const onAbort = () => resolve(timeUp);
    signal.addEventListener('abort', onAbort, { once: true });
    void session.credentials.renew(used).then((renewal) => {
      signal.removeEventListener('abort', onAbort);
      resolve(renewal);
    });
  });
};

/**
 * Delivers one request: attempts with exponential backoff and jitter, `Retry-After` when it fits the time left,
 * every attempt bounded by the per-attempt timeout and the invocation deadline, and no new attempt once the circuit
 * is open or too little time is left. After a 401 the credentials are renewed once; if that gave different ones,
 * one more attempt (beyond `maxAttempts`) is made with them at once. Each attempt is signed anew (its own
 * `webhook-timestamp`); the body is compressed once.
 */
export const deliverRequest = async (request: Request, session: DeliverySession): Promise<RequestOutcome> => {
  const { config, breaker, limit, gate, stats, now } = session;
  const batch = config.batchMaxRecords > 1;
  const wire = config.contentEncoding === 'gzip' ? await compress(request.body) : request.body;
  const minAttemptMs = Math.min(config.timeoutMs, MIN_ATTEMPT_MS);
  let used = session.credentials.current();
  let reason = 'not attempted';
  let budget = config.maxAttempts;
  let renewed = false;

  for (let attempt = 1; attempt <= budget; attempt += 1) {
    await limit.acquire();
    // Checked while holding a place: a request that waited for one must not start during a pause begun meanwhile.
    const refusal = breaker.isOpen
      ? undefined
      : await gate.ready(session.deadline, minAttemptMs, session.deadlineSignal);
    const started = now();
    const left = session.deadline - started;
    if (refusal !== undefined || breaker.isOpen || left < minAttemptMs) {
      limit.release();
      const why = breaker.isOpen
        ? 'circuit open: the receiver looks down'
        : (refusal?.reason ?? 'no time left before the deadline');
      return attempt === 1
        ? { status: 'skipped', reason: why }
        : { status: 'failed', attempts: attempt - 1, reason: `${reason}; then ${why}` };
    }
    if (attempt > 1) stats.retries += 1;
    const headers = {
      ...request.headers,
      ...session.credentials.headers(used, request.id, request.body, started),
    };
    let result: AttemptResult | undefined;
    try {
      result = await session.post(
        wire,
        headers,
        Math.min(config.timeoutMs, left),
        session.deadlineSignal,
        batch,
      );
    } finally {
      limit.release(result === undefined ? undefined : feedbackOf(result, started, now()));
    }
    const verdict = classifyAttempt(result, now());
    if (overloaded(result) && result.kind === 'response') {
      stats.refused += 1;
      if (verdict.outcome === 'transient' && verdict.retryAfterMs !== undefined)
        gate.pauseFor(verdict.retryAfterMs);
    }

    switch (verdict.outcome) {
      case 'delivered': {
        breaker.recordSuccess();
        const latencyMs = now() - started;
        stats.latenciesMs.push(latencyMs);
        const results = batch && result.kind === 'response' ? parseItemResults(result.body) : NONE;
        if ('problem' in results) return { status: 'failed', attempts: attempt, reason: results.problem };
        return { status: 'delivered', attempts: attempt, latencyMs, rejected: results };
      }
      case 'final':
      case 'deadline':
        return { status: 'failed', attempts: attempt, reason: verdict.reason };
      case 'unauthorized': {
        if (renewed) return { status: 'failed', attempts: attempt, reason: verdict.reason };
        renewed = true;
        const renewal = await renewBeforeDeadline(session, used);
        if (!renewal.renewed) {
          const note = renewal.note === undefined ? '' : `; ${renewal.note}`;
          return { status: 'failed', attempts: attempt, reason: `${verdict.reason}${note}` };
        }
        reason = verdict.reason;
        used = session.credentials.current();
        budget += 1;
        break;
      }
      case 'transient': {
        breaker.recordTransientFailure();
        reason = verdict.reason;
        if (attempt === budget) break;
        const delay =
          verdict.retryAfterMs ??
          backoffDelay(attempt, config.backoffBaseMs, config.backoffMaxMs, session.random);
        if (now() + delay + minAttemptMs > session.deadline) {
          const what = verdict.retryAfterMs === undefined ? 'backoff' : 'Retry-After';
          return {
            status: 'failed',
            attempts: attempt,
            reason: `${reason}; ${what} of ${delay} ms does not fit in the time left`,
          };
        }
        await pause(delay, session.deadlineSignal);
      }
    }
  }
  return { status: 'failed', attempts: budget, reason: `${reason} (after ${budget} attempts)` };
};
