import { backoffDelay } from '../../src/services/delivery/backoff';
import { classifyAttempt, parseRetryAfter } from '../../src/services/delivery/verdict';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const response = (status: number, retryAfter?: string) => ({ kind: 'response' as const, status, retryAfter });

describe('classifyAttempt', () => {
  it.each([200, 201, 202, 204, 299])('counts %i as delivered', (status) => {
    expect(classifyAttempt(response(status), NOW)).toEqual({ outcome: 'delivered' });
  });

  it.each([408, 429, 500, 502, 503, 504, 599])('counts %i as transient', (status) => {
    expect(classifyAttempt(response(status), NOW)).toMatchObject({
      outcome: 'transient',
      reason: `HTTP ${status}`,
    });
  });

  it.each([100, 301, 302, 304, 400, 403, 404, 409, 413, 422])('counts %i as final', (status) => {
    expect(classifyAttempt(response(status), NOW)).toEqual({ outcome: 'final', reason: `HTTP ${status}` });
  });

  it('counts 401 as a rejected token, whatever Retry-After says', () => {
    expect(classifyAttempt(response(401, '1'), NOW)).toEqual({ outcome: 'unauthorized', reason: 'HTTP 401' });
  });

  it('counts connection errors and timeouts as transient', () => {
    expect(
      classifyAttempt({ kind: 'error', code: 'ECONNRESET', message: 'socket hang up' }, NOW),
    ).toMatchObject({
      outcome: 'transient',
      reason: 'ECONNRESET: socket hang up',
    });
    expect(classifyAttempt({ kind: 'timeout' }, NOW)).toMatchObject({ outcome: 'transient' });
  });

  it('does not retry an attempt aborted at the deadline', () => {
    expect(classifyAttempt({ kind: 'deadline' }, NOW).outcome).toBe('deadline');
  });

  it('carries Retry-After of a transient answer', () => {
    expect(classifyAttempt(response(429, '3'), NOW)).toMatchObject({ retryAfterMs: 3000 });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles per retry between half and all of the ceiling', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, 100, 10_000, () => 0))).toEqual([
      50, 100, 200, 400,
    ]);
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, 100, 10_000, () => 1))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('never exceeds the maximum', () => {
    expect(backoffDelay(30, 100, 2000, () => 1)).toBe(2000);
    expect(backoffDelay(30, 100, 2000, () => 0)).toBe(1000);
  });

  it('spreads delays with jitter', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 100, 10_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});
