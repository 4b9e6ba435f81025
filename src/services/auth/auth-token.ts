import { registerSecret } from '../observability/redaction';

/** What came of asking for a new token after the receiver answered 401. */
export type Renewal =
  | { readonly renewed: true }
  /** `note` says why no other token is available, when there is something to say. */
  | { readonly renewed: false; readonly note: string | undefined };

/** The `Authorization` value sent with every request. */
export interface AuthToken {
  /** The value to send now. Synchronous, so sending a record never waits on it. */
  readonly current: () => string | undefined;
  /** True once {@link load} has succeeded (or nothing needs loading). */
  readonly isLoaded: () => boolean;
  /**
   * Loads the value within `timeLimitMs`; rejects with a message saying where it comes from and what went wrong
   * (taking too long included).
   */
  readonly load: (timeLimitMs: number) => Promise<void>;
  /**
   * Called when the receiver answered 401 to `rejected`. Resolves `renewed: true` when a different value is now
   * current, so the record is worth one more attempt. Never rejects.
   */
  readonly renew: (rejected: string | undefined) => Promise<Renewal>;
}

/** A token fixed for the container's life (from `FORWARD_AUTH_TOKEN`); registered so logs never show it. */
export const staticAuthToken = (token: string | undefined): AuthToken => {
  registerSecret(token);
  return {
    current: () => token,
    isLoaded: () => true,
    load: async () => {},
    renew: async () => ({ renewed: false, note: undefined }),
  };
};
