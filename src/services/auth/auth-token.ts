import { registerSecret } from '../observability/redaction';

/** What came of asking for a new value after the receiver answered 401. */
export type Renewal =
  | { readonly renewed: true }
  /** `note` says why no other value is available, when there is something to say. */
  | { readonly renewed: false; readonly note: string | undefined };

/** A secret setting every request uses: fixed for the container's life, or read from Secrets Manager. */
export interface SecretSetting<T> {
  /** The value to use now. Synchronous, so sending a record never waits on it. */
  readonly current: () => T | undefined;
  /** True once {@link load} has succeeded (or nothing needs loading). */
  readonly isLoaded: () => boolean;
  /**
   * Loads the value within `timeLimitMs`; rejects with a message saying where it comes from and what went wrong
   * (taking too long included).
   */
  readonly load: (timeLimitMs: number) => Promise<void>;
  /**
   * Called when the receiver answered 401 to a request made with `rejected`. Resolves `renewed: true` when a
   * different value is now current, so the request is worth one more attempt. Never rejects.
   */
  readonly renew: (rejected: T | undefined) => Promise<Renewal>;
}

/** The `Authorization` value sent with every request. */
export type AuthToken = SecretSetting<string>;

/** A setting fixed for the container's life; its secrets are registered so logs never show them. */
export const staticSetting = <T>(value: T | undefined, secrets: readonly string[]): SecretSetting<T> => {
  for (const secret of secrets) registerSecret(secret);
  return {
    current: () => value,
    isLoaded: () => true,
    load: async () => {},
    renew: async () => ({ renewed: false, note: undefined }),
  };
};

/** A token fixed for the container's life (from `FORWARD_AUTH_TOKEN`). */
export const staticAuthToken = (token: string | undefined): AuthToken =>
  staticSetting(token, token === undefined ? [] : [token]);
