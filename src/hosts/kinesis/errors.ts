/** How the poller treats a failed Kinesis call. */
export type KinesisFailure = 'aborted' | 'expired-iterator' | 'throttled' | 'transient' | 'fatal';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
]);

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// The SDK sometimes wraps a network error into a plain message ("AWS SDK error wrapper for Error: connect ...").
const TRANSIENT_MESSAGE = /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND)\b/;

/** Sorts a Kinesis error into what the poller should do about it. */
export const classifyKinesisError = (error: unknown, signal?: AbortSignal): KinesisFailure => {
  if (signal?.aborted) return 'aborted';
  const { name, code, message, $metadata } = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (name === 'AbortError') return 'aborted';
  if (name === 'ExpiredIteratorException') return 'expired-iterator';
  if (name !== undefined && THROTTLING.has(name)) return 'throttled';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return 'transient';
  if (name === 'TimeoutError' || name === 'InternalFailure' || name === 'ServiceUnavailable')
    return 'transient';
  if (($metadata?.httpStatusCode ?? 0) >= 500) return 'transient';
  return 'fatal';
};

/** A short description of a Kinesis error for a status or warning line. */
export const describeKinesisError = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return `${error.name}${code && code !== error.name ? ` (${code})` : ''}: ${error.message}`;
  }
  return String(error);
};
