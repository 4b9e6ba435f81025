import { registerSecret } from './redaction';

/** The `Authorization` value sent with every request. */
export interface AuthToken {
  readonly current: () => string | undefined;
}

/** A token fixed for the container's life (from `FORWARD_AUTH_TOKEN`); registered so logs never show it. */
export const staticAuthToken = (token: string | undefined): AuthToken => {
  registerSecret(token);
  return { current: () => token };
};
