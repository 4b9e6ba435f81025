/**
 * A URL safe to print: credentials in it are masked and its query string is left out, since either may hold a
 * secret (`https://user:token@host/`, `?apiKey=...`).
 */
export const displayUrl = (raw: string): string => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  const credentials = url.username || url.password ? '[REDACTED]@' : '';
  const query = url.search ? '?[REDACTED]' : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${query}`;
};
