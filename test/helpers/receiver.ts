import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** How the receiver answers one request; `hang` never answers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  hang?: boolean;
  /** Destroys the socket without an answer. */
  reset?: boolean;
  /** Answers `101 Switching Protocols` with `Upgrade`, taking the connection over. */
  upgrade?: boolean;
  /** Sends the status and headers, then a body that never ends. */
  endlessBody?: boolean;
  /** Closes the connection right after the answer, without saying `Connection: close`. */
  closeAfter?: boolean;
}

export type Responder = (request: ReceivedRequest, index: number) => Reply;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test says. */
export interface TestReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Highest number of requests in flight at once. */
  readonly maxInFlight: () => number;
  respond: Responder;
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  /** Closes every open connection at once, idle ones included, as an idle timeout on the way would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export const startReceiver = async (respond: Responder = () => ({ status: 200 })): Promise<TestReceiver> => {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  let connections = 0;
  const receiver = {
    url: '',
    requests,
    maxInFlight: () => peak,
    respond,
    connections: () => connections,
    dropConnections: () => {},
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    let finished = false;
    const done = () => {
      if (!finished) inFlight -= 1;
      finished = true;
    };
    res.on('close', done);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(request);
      const reply = receiver.respond(request, requests.length - 1);
      if (reply.hang) return;
      if (reply.reset) {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        if (reply.upgrade) {
          req.socket.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
          );
          return;
        }
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        if (reply.endlessBody) {
          res.write('{"accepted":');
          return;
        }
        if (reply.closeAfter) res.on('finish', () => req.socket.destroy());
        res.end(reply.body ?? '');
      }, reply.delayMs ?? 0);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.dropConnections = () => server.closeAllConnections();
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
};
