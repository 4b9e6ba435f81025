const REDACTED = '[REDACTED]';
const secrets = new Set<string>();

/** Registers a value (a token) that must never appear in a log line. */
export const registerSecret = (value: string | undefined): void => {
  if (value) secrets.add(value);
};

/**
 * JSON replacer for the logger: drops any `authorization` field and masks registered secrets inside strings,
 * so a token cannot leak through an error message, a header dump or a stack.
 */
export const redactSecrets = (key: string, value: unknown): unknown => {
  if (key.toLowerCase() === 'authorization') return REDACTED;
  if (typeof value !== 'string' || secrets.size === 0) return value;
  let text = value;
  for (const secret of secrets) {
    if (text.includes(secret)) text = text.replaceAll(secret, REDACTED);
  }
  return text;
};
