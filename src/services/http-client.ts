import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios from 'axios';
import type { AttemptResult } from './attempt-result';

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

// Reads and discards the body so the keep-alive socket can be reused; past the limit the socket is dropped.
const drain = (stream: Readable, limit: number): Promise<void> =>
  new Promise((resolve) => {
    let seen = 0;
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        stream.destroy();
        resolve();
      }
    });
    stream.once('end', resolve);
    stream.once('error', () => resolve());
    stream.once('close', resolve);
  });

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
  const agentOptions = { keepAlive: true, maxSockets: concurrency };
  const instance = axios.create({
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
    maxRedirects: 0,
    maxBodyLength: Number.POSITIVE_INFINITY,
    validateStatus: () => true,
    responseType: 'stream',
    decompress: false,
    // The body is already JSON text: skip axios' parse-to-validate and its per-request proxy lookup.
    transformRequest: [(data: string) => data],
    transformResponse: [],
    proxy: false,
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
      const response = await instance.post<Readable>(url, body, { headers, signal: attempt.signal });
      await drain(response.data, maxResponseBytes);
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
