import type { Config } from '../../config';
import {
  type AuthToken,
  type Renewal,
  type SecretSetting,
  staticAuthToken,
  staticSetting,
} from './auth-token';
import { secretAuthToken, secretSetting } from './secret-setting';
import { SIGNING_SECRET, type SigningKeys, signingKeys, webhookHeaders } from './webhook-signing';

/** The token and the signing keys one attempt was made with. */
export interface CredentialsUsed {
  readonly token: string | undefined;
  readonly signing: SigningKeys | undefined;
}

/** What proves a request comes from this forwarder: the `Authorization` token and the Standard Webhooks keys. */
export interface Credentials {
  /** Both, as they are now; loaded before anything is sent. */
  readonly current: () => CredentialsUsed;
  /** The headers an attempt sends with `used`: `Authorization` and the webhook signature of `body`. */
  readonly headers: (
    used: CredentialsUsed,
    id: string,
    body: string | Buffer,
    nowMs: number,
  ) => Record<string, string>;
  /** Loads whatever is not loaded yet, within `timeLimitMs`. */
  readonly load: (timeLimitMs: number) => Promise<void>;
  readonly isLoaded: () => boolean;
  /** After a 401: renews what comes from Secrets Manager; `renewed` when anything differs from `used`. */
  readonly renew: (used: CredentialsUsed) => Promise<Renewal>;
}

/** Combines the token and the signing keys into what every request is sent with. */
export const credentials = (token: AuthToken, signing: SecretSetting<SigningKeys>): Credentials => ({
  current: () => ({ token: token.current(), signing: signing.current() }),
  headers: (used, id, body, nowMs) => ({
    ...(used.token === undefined ? {} : { Authorization: used.token }),
    ...(used.signing === undefined ? {} : webhookHeaders(used.signing, id, body, nowMs)),
  }),
  load: async (timeLimitMs) => {
    await Promise.all(
      [token, signing].map((setting) => (setting.isLoaded() ? undefined : setting.load(timeLimitMs))),
    );
  },
  isLoaded: () => token.isLoaded() && signing.isLoaded(),
  renew: async (used) => {
    const renewals = await Promise.all([token.renew(used.token), signing.renew(used.signing)]);
    if (renewals.some((renewal) => renewal.renewed)) return { renewed: true };
    const notes = renewals.flatMap((renewal) => (!renewal.renewed && renewal.note ? [renewal.note] : []));
    return { renewed: false, note: notes.length === 0 ? undefined : notes.join('; ') };
  },
});

/**
 * The container's credentials from its configuration: each fixed, or read from Secrets Manager with `readSecret`
 * when its `..._ARN` variable names a secret.
 */
export const credentialsFor = (
  config: Pick<Config, 'authToken' | 'authSecretId' | 'signingSecrets' | 'signingSecretId'>,
  readSecret: (secretId: string) => Promise<unknown>,
): Credentials => {
  const token =
    config.authSecretId === undefined
      ? staticAuthToken(config.authToken)
      : secretAuthToken({ secretId: config.authSecretId, readSecret });
  const keys = config.signingSecrets.length === 0 ? undefined : signingKeys(config.signingSecrets);
  const signing =
    config.signingSecretId === undefined
      ? staticSetting(keys, keys === undefined ? [] : SIGNING_SECRET.secretsOf(keys))
      : secretSetting({ secretId: config.signingSecretId, kind: SIGNING_SECRET, readSecret });
  return credentials(token, signing);
};
