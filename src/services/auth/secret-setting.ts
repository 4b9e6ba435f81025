import { withTimeout } from '../../lib/timers';
import { registerSecret } from '../observability/redaction';
import type { Renewal, SecretSetting } from './auth-token';
import { tokenFromSecretValue } from './secret-token-value';

/** What a secret in Secrets Manager holds for the forwarder, and the variable that names the secret. */
export interface SecretKind<T> {
  /** What the secret holds, in messages: "auth token", "signing secret". */
  readonly what: string;
  /** The same, short, where the secret was named already: "token", "signing secret". */
  readonly noun: string;
  readonly variable: string;
  /** Turns the secret's value into the setting; throws saying what is wrong, never quoting the value. */
  readonly parse: (value: unknown) => T;
  /** The strings of a setting that must never reach a log line. */
  readonly secretsOf: (value: T) => readonly string[];
  /** Whether two values are the same (a rotation changes it). */
  readonly same: (a: T | undefined, b: T | undefined) => boolean;
}

/** A secret could not be read or holds nothing usable; fails the invocation before anything is sent. */
export class AuthSecretError extends Error {
  override name = 'AuthSecretError';

  constructor(
    secretId: string,
    problem: string,
    kind: Pick<SecretKind<unknown>, 'what' | 'variable'> = TOKEN,
  ) {
    super(`Cannot use the ${kind.what} in secret "${secretId}" (${kind.variable}): ${problem}`);
  }
}

/** The `Authorization` token: a plain string, or JSON with a `token` field. */
export const TOKEN: SecretKind<string> = {
  what: 'auth token',
  noun: 'token',
  variable: 'FORWARD_AUTH_SECRET_ARN',
  parse: tokenFromSecretValue,
  secretsOf: (token) => [token],
  same: (a, b) => a === b,
};

export interface SecretSettingOptions<T> {
  readonly secretId: string;
  readonly kind: SecretKind<T>;
  /** Reads the secret's current value from Secrets Manager, never from a cache. */
  readonly readSecret: (secretId: string) => Promise<unknown>;
  /** Least time between two reads prompted by 401s, so a receiver that rejects every value costs few reads. */
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
 * A setting read from AWS Secrets Manager: loaded once per container, kept in memory, and read again when the
 * receiver answers 401 (the secret was rotated). Concurrent 401s share one read. Every value is registered so logs
 * never show it.
 */
export const secretSetting = <T>({
  secretId,
  kind,
  readSecret,
  minRenewIntervalMs = 10_000,
  now = Date.now,
}: SecretSettingOptions<T>): SecretSetting<T> => {
  let current: T | undefined;
  let renewalReadAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  const read = async (): Promise<void> => {
    let value: unknown;
    try {
      value = await readSecret(secretId);
    } catch (error) {
      throw new AuthSecretError(secretId, `reading it failed: ${describeError(error)}`, kind);
    }
    let next: T;
    try {
      next = kind.parse(value);
    } catch (error) {
      throw new AuthSecretError(secretId, (error as Error).message, kind);
    }
    for (const secret of kind.secretsOf(next)) registerSecret(secret);
    current = next;
  };

  // One read at a time: whoever asks while a read is running waits for that read.
  const readOnce = (): Promise<void> => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  const renew = async (rejected: T | undefined): Promise<Renewal> => {
    if (!kind.same(current, rejected)) return { renewed: true };
    if (reading === undefined) {
      if (now() - renewalReadAt < minRenewIntervalMs) {
        return {
          renewed: false,
          note: `the secret was read again moments ago and holds the same ${kind.noun}`,
        };
      }
      renewalReadAt = now();
    }
    try {
      await readOnce();
    } catch (error) {
      // The record is reported as failed with this note, so nothing is lost.
      return { renewed: false, note: (error as Error).message };
    }
    return kind.same(current, rejected)
      ? { renewed: false, note: `the secret still holds the rejected ${kind.noun}` }
      : { renewed: true };
  };

  // The read goes on after the limit: a late answer is kept for the next invocation.
  const load = (timeLimitMs: number): Promise<void> =>
    withTimeout(readOnce(), timeLimitMs, () => {
      throw new AuthSecretError(
        secretId,
        `reading it did not finish in the ${Math.max(0, timeLimitMs)} ms left before the invocation's deadline`,
        kind,
      );
    });

  return { current: () => current, isLoaded: () => current !== undefined, load, renew };
};

/** The auth token from Secrets Manager (FORWARD_AUTH_SECRET_ARN). */
export const secretAuthToken = (options: Omit<SecretSettingOptions<string>, 'kind'>): SecretSetting<string> =>
  secretSetting({ ...options, kind: TOKEN });
