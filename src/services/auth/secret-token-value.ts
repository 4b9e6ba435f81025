import { headerValueProblem } from '../../lib/header-value';

/**
 * Turns a Secrets Manager secret value into the `Authorization` value. A plain string is the token itself; a
 * value starting with `{` must be a JSON object whose `token` field is the token. Surrounding whitespace is dropped.
 * Messages never quote the value: they say what is wrong with it.
 *
 * @throws {Error} saying what is wrong, when the value holds no usable token.
 */
export const tokenFromSecretValue = (value: unknown): string => {
  if (value instanceof Uint8Array)
    throw new Error('it holds binary data; store the token as a secret string');
  if (typeof value !== 'string') throw new Error('it holds no secret string');
  let token = value.trim();
  if (token.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(token);
    } catch {
      // The parser's message quotes the text, which is the secret: say only what is wrong.
      throw new Error('it starts with "{" but is not valid JSON');
    }
    const field = (parsed as { token?: unknown }).token;
    if (typeof field !== 'string') {
      throw new Error('it is a JSON object without a string "token" field');
    }
    token = field.trim();
  }
  if (token === '') throw new Error('the token in it is empty');
  // A token that cannot be a header value would fail (or be altered in) every request.
  const problem = headerValueProblem(token);
  if (problem !== undefined)
    throw new Error(`the token in it cannot be sent as the Authorization header: ${problem}`);
  return token;
};
