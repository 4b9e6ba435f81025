import http from 'node:http';
import https from 'node:https';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { AxiosError } from './axios-core';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Aborted at the invocation deadline; the adapter's own alternative to `signal`, which axios would also check
     * after the answer arrived and so turn a delivered record into a cancelled one.
     */
    deadline?: AbortSignal;
    /** Read the response body (up to the adapter's limit) and hand it back as text, before answering. */
    readBody?: boolean;
  }
}

export interface KeepAliveAdapterOptions {
  /** Most bytes of a response body read; past that the connection is dropped. */
  readonly maxResponseBytes: number;
}

/** Codes the adapter rejects with, beside Node's own socket error codes. */
export const ADAPTER_ERRORS = {
  /** The attempt's `timeout` ran out. */
  timeout: 'ECONNABORTED',
  /** The request's `deadline` was aborted. */
  aborted: 'ERR_CANCELED',
  /** The connection closed without an answer or an error (e.g. after a protocol upgrade). */
  noResponse: 'ERR_NO_RESPONSE',
} as const;

// A few stale pooled sockets may be met one after another; each retry discards the idle ones first.
const MAX_STALE_RETRIES = 3;

const targetOf = (() => {
  // One endpoint per container: parse its URL once, not per request.
  const parsed = new Map<string, URL>();
  return (url: string): URL => {
    let target = parsed.get(url);
    if (!target) {
      target = new URL(url);
      parsed.set(url, target);
    }
    return target;
  };
})();

const fail = (code: string, message: string, config: InternalAxiosRequestConfig) =>
  new AxiosError(message, code, config);

/**
 * An axios adapter for what the forwarder sends: a JSON text body over keep-alive `node:http(s)` agents. It answers
 * with the status and headers as soon as they arrive: the status is the answer, so a body that is slow, endless or
 * cut short does not change it. The body is read up to `maxResponseBytes` and discarded, so the socket goes back to
 * the pool; redirects are never followed.
 *
 * Every attempt settles by its `timeout` and by its `deadline`, whatever the socket does (a `101 Switching Protocols`
 * leaves Node's request silent). A failure on a reused keep-alive socket before any byte of the answer means the
 * receiver or a load balancer closed it while idle: the request is sent again at once on a fresh connection, and the
 * caller never sees it.
 *
 * It stands in for axios' general-purpose adapter, whose proxy, redirect, decompression and stream plumbing cost
 * more CPU per request than all the rest of the forwarder (see BENCHMARKS.md).
 */
export const keepAliveAdapter = ({ maxResponseBytes }: KeepAliveAdapterOptions): AxiosAdapter => {
  // No socket cap here: the forwarder's own limit decides how many requests are in flight, so a request never
  // waits for a socket while its attempt's clock runs.
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  return (config: InternalAxiosRequestConfig) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const target = targetOf(config.url ?? '');
      const secure = target.protocol === 'https:';
      const agent = secure ? agents.https : agents.http;
      const body: string | Buffer =
        typeof config.data === 'string' || Buffer.isBuffer(config.data) ? config.data : '';
      const headers = config.headers.toJSON() as http.OutgoingHttpHeaders;
      headers['Content-Length'] = Buffer.byteLength(body);
      const options: http.RequestOptions = {
        protocol: target.protocol,
        // URL keeps an IPv6 literal in brackets; node:http wants it bare.
        hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        auth: target.username
          ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
          : undefined,
        method: (config.method ?? 'post').toUpperCase(),
        agent,
        headers,
      };
      const signal = config.deadline;

      let request: http.ClientRequest;
      let answered = false;
      // Body still being read after the answer: the timer and the deadline cut it, without changing the answer.
      let reading: http.IncomingMessage | undefined;

      const cleanUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: AxiosError) => {
        if (reading !== undefined && !answered) {
          // A body still arriving when time is up: the status alone is the answer.
          answer(reading, reading.statusCode ?? 0, undefined);
        }
        if (answered) {
          reading?.destroy();
          cleanUp();
          return;
        }
        answered = true;
        cleanUp();
        request.destroy();
        reject(error);
      };
      const onAbort = () => giveUp(fail(ADAPTER_ERRORS.aborted, 'aborted at the deadline', config));
      const timer = setTimeout(
        () => giveUp(fail(ADAPTER_ERRORS.timeout, `timeout of ${config.timeout}ms exceeded`, config)),
        config.timeout || 2 ** 31 - 1,
      );
      if (signal?.aborted) {
        answered = true;
        clearTimeout(timer);
        reject(fail(ADAPTER_ERRORS.aborted, 'aborted at the deadline', config));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });

      const answer = (
        response: http.IncomingMessage | undefined,
        status: number,
        data: string | null = null,
      ) => {
        answered = true;
        // Only the header the forwarder reads: axios copies whatever it is given into its own header object.
        const retryAfter = response?.headers['retry-after'];
        resolve({
          data,
          status,
          statusText: response?.statusMessage ?? '',
          headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
          config,
          request,
        });
      };

      const send = (staleRetries: number) => {
        const sent = (secure ? https : http).request(options);
        request = sent;
        sent.once('response', (response) => {
          reading = response;
          const chunks: Buffer[] | undefined = config.readBody ? [] : undefined;
          if (chunks === undefined) answer(response, response.statusCode ?? 0);
          let seen = 0;
          response.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (seen > maxResponseBytes) {
              response.destroy();
              return;
            }
            chunks?.push(chunk);
          });
          if (chunks !== undefined) {
            // A body cut short or too long is no answer of its own: the status is.
            response.once('end', () =>
              answer(response, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')),
            );
            response.once('close', () => {
              if (!answered) answer(response, response.statusCode ?? 0);
            });
          }
          // A body cut short (reset, destroyed above) changes nothing: the status was the answer.
          response.on('error', () => {});
          response.once('close', cleanUp);
        });
        // A 101 hands the socket over and the request goes quiet: the receiver did not take the record.
        sent.once('upgrade', (response: http.IncomingMessage, socket) => {
          socket.destroy();
          cleanUp();
          answer(response, response.statusCode ?? 101);
        });
        sent.on('error', (error: NodeJS.ErrnoException) => {
          if (answered || request !== sent) return;
          if (sent.reusedSocket && staleRetries < MAX_STALE_RETRIES) {
            // Idle sockets of this pool went stale together: drop them, so the next request connects afresh.
            for (const socket of agent.freeSockets[agent.getName(options)] ?? []) socket.destroy();
            send(staleRetries + 1);
            return;
          }
          giveUp(AxiosError.from(error, error.code, config, sent));
        });
        // Closed with neither an answer nor an error: never leave the attempt hanging.
        sent.once('close', () =>
          setImmediate(() => {
            if (!answered && request === sent) {
              giveUp(fail(ADAPTER_ERRORS.noResponse, 'the connection closed without a response', config));
            }
          }),
        );
        sent.end(body);
      };
      send(0);
    });
};
