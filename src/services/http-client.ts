import axios from 'axios';
import type { AttemptResult } from './attempt-result';
import { keepAliveAdapter } from './keep-alive-adapter';

export interface HttpClientOptions {
  readonly url: string;
  readonly concurrency: number;
  readonly maxResponseBytes: number;
}

/** POSTs one body to the configured endpoint and reports what happened; never throws. */
export type PostFn = (
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  deadline: AbortSignal,
) => Promise<AttemptResult>;

const describe = (error: unknown): { code: string; message: string } => {
  if (axios.isAxiosError(error)) {
    return { code: error.code ?? 'ERR_HTTP', message: error.message.slice(0, 200) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERR_UNKNOWN', message: message.slice(0, 200) };
};

/**
 * Creates the container's HTTP client: one axios instance over keep-alive agents whose pools outlive
 * invocations, with redirects off, a bounded response size and every status handed back for our own judgement.
 */
export const createHttpClient = ({ url, concurrency, maxResponseBytes }: HttpClientOptions): PostFn => {
  const instance = axios.create({
    adapter: keepAliveAdapter({ maxSockets: concurrency, maxResponseBytes }),
    maxRedirects: 0,
    validateStatus: () => true,
    // The body is already JSON text: skip axios' parse-to-validate.
    transformRequest: [(data: string) => data],
    transformResponse: [],
  });

  return async (body, headers, timeoutMs, deadline) => {
    // One controller per attempt, aborted by its own timer or the shared deadline (cheaper than AbortSignal.any).
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeoutMs);
    const onDeadline = () => attempt.abort();
    deadline.addEventListener('abort', onDeadline, { once: true });
    try {
      const response = await instance.post(url, body, { headers, signal: attempt.signal });
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'response',
        status: response.status,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      };
    } catch (error) {
      if (deadline.aborted) return { kind: 'deadline' };
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'error', ...describe(error) };
    } finally {
      clearTimeout(timer);
      deadline.removeEventListener('abort', onDeadline);
    }
  };
};
