import type { Config } from '../../config';
import { Axios, isAxiosError } from './axios-core';
import { ADAPTER_ERRORS, keepAliveAdapter } from './keep-alive-adapter';

export type HttpClientOptions = Pick<Config, 'url' | 'maxResponseBytes'>;

/** What one HTTP attempt produced, before it is judged. */
export type AttemptResult =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly retryAfter: string | undefined;
      /** The response body, when it was asked for and arrived whole within the limit. */
      readonly body?: string | undefined;
    }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'deadline' };

/** POSTs one body to the configured endpoint and reports what happened; never throws. */
export type PostFn = (
  body: Buffer | string,
  headers: Record<string, string>,
  timeoutMs: number,
  deadline: AbortSignal,
  readBody?: boolean,
) => Promise<AttemptResult>;

const describe = (error: unknown): { code: string; message: string } => {
  if (isAxiosError(error)) {
    return { code: error.code ?? 'ERR_HTTP', message: error.message.slice(0, 200) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERR_UNKNOWN', message: message.slice(0, 200) };
};

/**
 * Creates the container's HTTP client: one axios instance over keep-alive agents whose pools outlive
 * invocations, with redirects off, a bounded response size and every status handed back for our own judgement.
 *
 * The instance is built with only what it needs: `axios.create` would start from axios' global defaults, whose
 * per-method header buckets, request and response transforms and transitional options axios merges, validates and
 * runs on every request, which made axios most of the forwarder's CPU per record. Requests go through `request()`,
 * not the `post()` alias, which merges the config once more.
 */
export const createHttpClient = ({ url, maxResponseBytes }: HttpClientOptions): PostFn => {
  const instance = new Axios({ adapter: keepAliveAdapter({ maxResponseBytes }), maxRedirects: 0 });

  return async (body, headers, timeoutMs, deadline, readBody = false) => {
    try {
      // The adapter keeps the attempt's one timer and listens to the deadline itself.
      const response = await instance.request({
        url,
        method: 'post',
        data: body,
        headers,
        timeout: timeoutMs,
        deadline,
        readBody,
      });
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'response',
        status: response.status,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        ...(readBody ? { body: typeof response.data === 'string' ? response.data : undefined } : {}),
      };
    } catch (error) {
      const code = isAxiosError(error) ? error.code : undefined;
      if (code === ADAPTER_ERRORS.aborted || deadline.aborted) return { kind: 'deadline' };
      if (code === ADAPTER_ERRORS.timeout) return { kind: 'timeout' };
      return { kind: 'error', ...describe(error) };
    }
  };
};
