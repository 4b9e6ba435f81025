// Longest part of a value quoted in a message: enough to recognise it, never a flood.
const MAX_SHOWN = 80;

/**
 * A value as quoted in an error message: JSON-quoted (control characters escaped) and cut to 80 characters, with
 * the full length when it was cut, so one bad value cannot flood or break a log line.
 */
export const displayValue = (raw: string): string =>
  raw.length > MAX_SHOWN
    ? `${JSON.stringify(`${raw.slice(0, MAX_SHOWN)}...`)} (${raw.length} characters)`
    : JSON.stringify(raw);

/**
 * A URL safe to print: credentials in it are masked and its query string is left out, since either may hold a
 * secret (`https://user:token@host/`, `?apiKey=...`). Of a URL without a host (`alice:pw@host` parses as the scheme
 * `alice:` and an opaque rest) only the scheme is shown.
 */
export const displayUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  if (url.host === '') return `${url.protocol}[REDACTED]`;
  const credentials = url.username || url.password ? '[REDACTED]@' : '';
  const query = url.search ? '?[REDACTED]' : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${query}`;
};
