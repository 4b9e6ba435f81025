import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, body read whole. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body as received, byte for byte. */
  readonly raw: Buffer;
  /** Epoch milliseconds when the body had arrived. */
  readonly at: number;
}

/** How the receiver answers one request. */
export interface Reply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly delayMs?: number;
  /** Answers once this settles (after `delayMs`, if set too): holds requests until a condition is met. */
  readonly after?: Promise<unknown>;
  /** Never answers. */
  readonly hang?: boolean;
  /** Destroys the socket without an answer. */
  readonly reset?: boolean;
  /** Answers `101 Switching Protocols` with `Upgrade`, taking the connection over. */
  readonly upgrade?: boolean;
  /** Sends the status and headers, then a body that never ends. */
  readonly endlessBody?: boolean;
  /** Closes the connection right after the answer, without saying `Connection: close`. */
  readonly closeAfter?: boolean;
}

export interface LoopbackReceiverOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** Path of the URL handed out. */
  readonly path?: string;
}

/** An HTTP server on 127.0.0.1 standing in for the user's service. */
export interface LoopbackReceiver {
  readonly url: string;
  /** Highest number of requests in flight at once. */
  maxInFlight(): number;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Closes every open connection at once, idle ones included, as an idle timeout on the way would. */
  dropConnections(): void;
  close(): Promise<void>;
}

const UPGRADE = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';

const send = (req: http.IncomingMessage, res: http.ServerResponse, reply: Reply): void => {
  if (reply.hang) return;
  if (reply.reset) {
    req.socket.destroy();
    return;
  }
  if (reply.upgrade) {
    req.socket.write(UPGRADE);
    return;
  }
  res.writeHead(reply.status ?? 200, reply.headers);
  if (reply.endlessBody) {
    res.write('{"accepted":');
    return;
  }
  if (reply.closeAfter) res.on('finish', () => req.socket.destroy());
  res.end(reply.body ?? '');
};

/**
 * Starts a receiver on 127.0.0.1 that reads each request's body and answers as `answer` says: the embedded
 * receiver of `npm start`, and every receiver the tests and the benchmark run.
 *
 * @throws when the port cannot be listened on (in use).
 */
export const startLoopbackReceiver = async (
  answer: (request: ReceivedRequest) => Reply,
  { port = 0, path = '/events' }: LoopbackReceiverOptions = {},
): Promise<LoopbackReceiver> => {
  let inFlight = 0;
  let peak = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const reply = answer({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
        at: Date.now(),
      });
      const respond = () => {
        if (reply.delayMs) setTimeout(() => send(req, res, reply), reply.delayMs);
        else send(req, res, reply);
      };
      if (reply.after) void reply.after.finally(respond);
      else respond();
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    maxInFlight: () => peak,
    connections: () => connections,
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
