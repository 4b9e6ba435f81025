import { startLoopbackReceiver } from '../../src/hosts/loopback-receiver';

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
  const loopback = await startLoopbackReceiver(({ headers }) => {
    requests += 1;
    const key = headers['idempotency-key'];
    if (typeof key === 'string') keys.add(key);
    else withoutKey += 1;
    return { status: 204 };
  });
  return {
    url: loopback.url,
    requests: () => requests,
    delivered: () => keys.size,
    withoutKey: () => withoutKey,
    close: () => loopback.close(),
  };
};
