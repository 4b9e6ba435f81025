import type { KinesisStreamRecord } from 'aws-lambda';
import { pause } from '../../lib/timers';
import type { Renewal } from '../auth/auth-token';
import { backoffDelay } from './backoff';
import type { RecordOutcome } from './record-outcome';
import type { DeliverySession } from './session';
import { classifyAttempt } from './verdict';

/** An attempt needs at least this long (or the whole timeout, when shorter) before the deadline to be started. */
export const MIN_ATTEMPT_MS = 100;

// A token renewal must not outlast the invocation: at the deadline the record gives up waiting for it.
const renewBeforeDeadline = (session: DeliverySession, rejected: string | undefined): Promise<Renewal> => {
  const signal = session.deadlineSignal;
  const timeUp: Renewal = { renewed: false, note: 'no time left to renew the token' };
  if (signal.aborted) return Promise.resolve(timeUp);
  return new Promise((resolve) => {
    const onAbort = () => resolve(timeUp);
    signal.addEventListener('abort', onAbort, { once: true });
    void session.renewAuth(rejected).then((renewal) => {
      signal.removeEventListener('abort', onAbort);
      resolve(renewal);
    });
  });
};

/**
 * Delivers one record: attempts with exponential backoff and jitter, `Retry-After` when it fits the time left,
 * every attempt bounded by the per-attempt timeout and the invocation deadline, and no new attempt once the circuit
 * is open or too little time is left. After a 401 the token is renewed once; if that gave a different token, one
 * more attempt (beyond `maxAttempts`) is made with it at once.
 */
export const deliverRecord = async (
  record: KinesisStreamRecord,
  session: DeliverySession,
): Promise<RecordOutcome> => {
  const { config, breaker, semaphore, stats, now } = session;
  const body = JSON.stringify(record.kinesis);
  let headers = session.headersFor(record);
  const minAttemptMs = Math.min(config.timeoutMs, MIN_ATTEMPT_MS);
  let reason = 'not attempted';
  let budget = config.maxAttempts;
  let renewedAuth = false;

  for (let attempt = 1; attempt <= budget; attempt += 1) {
    await semaphore.acquire();
    const started = now();
    const left = session.deadline - started;
    if (breaker.isOpen || left < minAttemptMs) {
      semaphore.release();
      const why = breaker.isOpen
        ? 'circuit open: the receiver looks down'
        : 'no time left before the deadline';
      return attempt === 1
        ? { status: 'skipped', reason: why }
        : { status: 'failed', attempts: attempt - 1, reason: `${reason}; then ${why}` };
    }
    if (attempt > 1) stats.retries += 1;
    let verdict: ReturnType<typeof classifyAttempt>;
    try {
      const result = await session.post(
        body,
        headers,
        Math.min(config.timeoutMs, left),
        session.deadlineSignal,
      );
      verdict = classifyAttempt(result, now());
    } finally {
      semaphore.release();
    }

    switch (verdict.outcome) {
      case 'delivered': {
        breaker.recordSuccess();
        const latencyMs = now() - started;
        stats.latenciesMs.push(latencyMs);
        return { status: 'delivered', attempts: attempt, latencyMs };
      }
      case 'final':
      case 'deadline':
        return { status: 'failed', attempts: attempt, reason: verdict.reason };
      case 'unauthorized': {
        if (renewedAuth) return { status: 'failed', attempts: attempt, reason: verdict.reason };
        renewedAuth = true;
        const renewal = await renewBeforeDeadline(session, headers.Authorization);
        if (!renewal.renewed) {
          const note = renewal.note === undefined ? '' : `; ${renewal.note}`;
          return { status: 'failed', attempts: attempt, reason: `${verdict.reason}${note}` };
        }
        reason = verdict.reason;
        headers = session.headersFor(record);
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
