import { createHmac } from 'node:crypto';
import { signingSecretsProblem } from '../../config';
import type { SecretKind } from './secret-setting';

/** The keys requests are signed with: one signature per key, so a rotation can overlap. */
export interface SigningKeys {
  /** The `whsec_...` secrets as configured, for redaction and to tell a rotation. */
  readonly secrets: readonly string[];
  readonly keys: readonly Buffer[];
}

/** Decodes Standard Webhooks secrets (`whsec_<base64>`), already checked by {@link signingSecretsProblem}. */
export const signingKeys = (secrets: readonly string[]): SigningKeys => ({
  secrets,
  keys: secrets.map((secret) => Buffer.from(secret.slice('whsec_'.length), 'base64')),
});

/**
 * Turns a Secrets Manager value into signing keys: the secrets themselves, space-separated, or JSON with a string
 * `secret` field holding them. Messages never quote the value.
 *
 * @throws {Error} saying what is wrong.
 */
export const signingKeysFromSecretValue = (value: unknown): SigningKeys => {
  if (typeof value !== 'string') throw new Error('it holds no secret string');
  let text = value.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error('it starts with "{" but is not valid JSON');
    }
    const field = (parsed as { secret?: unknown }).secret;
    if (typeof field !== 'string') throw new Error('it is a JSON object without a string "secret" field');
    text = field.trim();
  }
  const secrets = text === '' ? [] : text.split(/\s+/);
  const problem = signingSecretsProblem(secrets);
  if (problem !== undefined) throw new Error(problem);
  return signingKeys(secrets);
};

/** Signing secrets in Secrets Manager (FORWARD_SIGNING_SECRET_ARN). */
export const SIGNING_SECRET: SecretKind<SigningKeys> = {
  what: 'signing secret',
  noun: 'signing secret',
  variable: 'FORWARD_SIGNING_SECRET_ARN',
  parse: signingKeysFromSecretValue,
  secretsOf: (value) => [...value.secrets, ...value.keys.map((key) => key.toString('base64'))],
  same: (a, b) => a?.secrets.join(' ') === b?.secrets.join(' '),
};

/**
 * The Standard Webhooks headers of one attempt: `webhook-id`, `webhook-timestamp` (unix seconds, now) and
 * `webhook-signature`, a `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` per key, space-separated.
 */
export const webhookHeaders = (
  signing: SigningKeys,
  id: string,
  body: string | Buffer,
  nowMs: number,
): Record<string, string> => {
  const timestamp = String(Math.floor(nowMs / 1000));
  const prefix = Buffer.from(`${id}.${timestamp}.`);
  const signatures = signing.keys.map(
    (key) => `v1,${createHmac('sha256', key).update(prefix).update(body).digest('base64')}`,
  );
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
};
