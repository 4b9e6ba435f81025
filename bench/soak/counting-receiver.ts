import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A receiver that answers 204 to everything and counts what it got. */
export interface CountingReceiver {
  readonly url: string;
  /** Requests received, duplicates included. */
  requests(): number;
  /** Distinct records received (by Idempotency-Key). */
  delivered(): number;
  /** Requests without an Idempotency-Key; the forwarder always sends one. */
  withoutKey(): number;
  close(): Promise<void>;
}

/** Starts the soak's receiver on 127.0.0.1 (a random port): the cheapest service a forwarder can have. */
export const startCountingReceiver = async (): Promise<CountingReceiver> => {
  const keys = new Set<string>();
  let requests = 0;
  let withoutKey = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string') keys.add(key);
      else withoutKey += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    requests: () => requests,
    delivered: () => keys.size,
    withoutKey: () => withoutKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
