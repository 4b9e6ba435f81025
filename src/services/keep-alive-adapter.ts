import http from 'node:http';
import https from 'node:https';
import { type AxiosAdapter, AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

export interface KeepAliveAdapterOptions {
  /** Most sockets per origin: the pool's size, matching the most requests in flight. */
  readonly maxSockets: number;
  /** Most bytes of a response body read; past that the connection is dropped. */
  readonly maxResponseBytes: number;
}

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

/**
 * An axios adapter for what the forwarder sends: a JSON text body over keep-alive `node:http(s)` agents, answered
 * with the status and headers. The body is read up to `maxResponseBytes` and discarded, so the socket goes back to
 * the pool; redirects are never followed. It stands in for axios' general-purpose adapter, whose proxy, redirect,
 * decompression and stream plumbing cost more CPU per request than all the rest of the forwarder (see BENCHMARKS.md).
 */
export const keepAliveAdapter = ({ maxSockets, maxResponseBytes }: KeepAliveAdapterOptions): AxiosAdapter => {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };

  return (config: InternalAxiosRequestConfig) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const target = targetOf(config.url ?? '');
      const secure = target.protocol === 'https:';
      const body = typeof config.data === 'string' ? config.data : '';
      const headers = config.headers.toJSON() as http.OutgoingHttpHeaders;
      headers['Content-Length'] = Buffer.byteLength(body);
      const request = (secure ? https : http).request({
        protocol: target.protocol,
        // URL keeps an IPv6 literal in brackets; node:http wants it bare.
        hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        auth: target.username
          ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
          : undefined,
        method: (config.method ?? 'post').toUpperCase(),
        agent: secure ? agents.https : agents.http,
        headers,
        signal: config.signal as AbortSignal | undefined,
      });

      request.once('response', (response) => {
        let settled = false;
        const settle = () => {
          if (settled) return;
          settled = true;
          resolve({
            data: null,
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            headers: response.headers,
            config,
            request,
          });
        };
        let seen = 0;
        response.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > maxResponseBytes) {
            response.destroy();
            settle();
          }
        });
        // The status is the answer: a body cut short (aborted, reset) does not change it.
        response.once('end', settle);
        response.once('error', settle);
        response.once('close', settle);
      });
      request.once('error', (error: NodeJS.ErrnoException) => {
        reject(AxiosError.from(error, error.code, config, request));
      });
      request.end(body);
    });
};
