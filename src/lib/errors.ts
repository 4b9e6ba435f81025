/** A command line that cannot be run; the message says why, and the command prints its usage after it. */
export class UsageError extends Error {
  override name = 'UsageError';
}
