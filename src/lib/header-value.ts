import { validateHeaderValue } from 'node:http';

/**
 * What keeps `value` from being sent as an HTTP header value, or undefined when nothing does. Node's own check
 * decides, since Node refuses such a request; the answer says what is wrong without quoting the value.
 */
export const headerValueProblem = (value: string): string | undefined => {
  try {
    validateHeaderValue('x-check', value);
    return undefined;
  } catch {
    // Axios would silently drop a line break (joining the lines); Node refuses anything else at send time.
    return /[\r\n]/.test(value)
      ? 'it contains a line break'
      : 'it contains a character that cannot be in an HTTP header (a control character, or one beyond Latin-1 such as "✓")';
  }
};
