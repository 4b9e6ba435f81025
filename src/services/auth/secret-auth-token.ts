import { withTimeout } from '../../lib/timers';
import { registerSecret } from '../observability/redaction';
import type { AuthToken, Renewal } from './auth-token';
import { tokenFromSecretValue } from './secret-token-value';

/** The token's secret could not be read or holds no usable token; fails the invocation before anything is sent. */
export class AuthSecretError extends Error {
  override name = 'AuthSecretError';

  constructor(secretId: string, problem: string) {
    super(`Cannot use the auth token in secret "${secretId}" (FORWARD_AUTH_SECRET_ARN): ${problem}`);
  }
}

export interface SecretAuthTokenOptions {
  readonly secretId: string;
  /** Reads the secret's current value from Secrets Manager, never from a cache. */
  readonly readSecret: (secretId: string) => Promise<unknown>;
  /** Least time between two reads prompted by 401s, so a receiver that rejects every token costs few reads. */
  readonly minRenewIntervalMs?: number;
  readonly now?: () => number;
}

const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  // Powertools wraps the SDK's error; its name (ResourceNotFoundException, AccessDeniedException...) says most.
  const cause = error.cause instanceof Error ? error.cause : error;
  return `${cause.name}: ${cause.message}`;
};

/**
 * A token read from AWS Secrets Manager: loaded once per container, kept in memory, and read again when the
 * receiver answers 401 (the secret was rotated). Concurrent 401s share one read. Every value is registered so logs
 * never show it.
 */
export const secretAuthToken = ({
  secretId,
  readSecret,
  minRenewIntervalMs = 10_000,
  now = Date.now,
}: SecretAuthTokenOptions): AuthToken => {
  let token: string | undefined;
  let renewalReadAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const read = async (): Promise<void> => {
    let value: unknown;
    try {
      value = await readSecret(secretId);
    } catch (error) {
      throw new AuthSecretError(secretId, `reading it failed: ${describeError(error)}`);
    }
    let next: string;
    try {
      next = tokenFromSecretValue(value);
    } catch (error) {
      throw new AuthSecretError(secretId, (error as Error).message);
    }
    registerSecret(next);
    token = next;
  };

  // One read at a time: whoever asks while a read is running waits for that read.
  const readOnce = (): Promise<void> => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  const renew = async (rejected: string | undefined): Promise<Renewal> => {
    if (token !== rejected) return { renewed: true };
    if (reading === undefined) {
      if (now() - renewalReadAt < minRenewIntervalMs) {
        return { renewed: false, note: 'the secret was read again moments ago and holds the same token' };
      }
      renewalReadAt = now();
    }
    try {
      await readOnce();
    } catch (error) {
      // The record is reported as failed with this note, so nothing is lost.
      return { renewed: false, note: (error as Error).message };
    }
    return token === rejected
      ? { renewed: false, note: 'the secret still holds the rejected token' }
      : { renewed: true };
  };

  // The read goes on after the limit: a late answer is kept for the next invocation.
  const load = (timeLimitMs: number): Promise<void> =>
    withTimeout(readOnce(), timeLimitMs, () => {
      throw new AuthSecretError(
        secretId,
        `reading it did not finish in the ${Math.max(0, timeLimitMs)} ms left before the invocation's deadline`,
      );
    });

  return { current: () => token, isLoaded: () => token !== undefined, load, renew };
};
