import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver saw since the last {@link LatencyReceiver.take}. */
export interface ReceiverTally {
  readonly requests: number;
  readonly bodyBytes: number;
  /** Requests whose record came before the last one seen of its partition key: an ordering bug. */
  readonly outOfOrder: number;
  /** Bodies that were not a JSON Kinesis record. */
  readonly malformed: number;
}

export interface LatencyReceiver {
  readonly url: string;
  /** Returns the tally and starts a new one. */
  take(): ReceiverTally;
  close(): Promise<void>;
}

// Sequence numbers are decimal strings of up to 128 bits: compare by length, then lexically.
const isBefore = (a: string, b: string): boolean => (a.length !== b.length ? a.length < b.length : a < b);

const parseRecord = (body: Buffer): { partitionKey: string; sequenceNumber: string } | undefined => {
  try {
    const { partitionKey, sequenceNumber } = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return typeof partitionKey === 'string' && typeof sequenceNumber === 'string'
      ? { partitionKey, sequenceNumber }
      : undefined;
  } catch {
    // Counted as malformed by the caller and reported with the run.
    return undefined;
  }
};

/**
 * An HTTP receiver on 127.0.0.1 that answers every POST with 200 after `latencyMs` (at once for 0), reads every
 * body fully, and checks that the records of each partition key arrive in sequence-number order.
 */
export const startLatencyReceiver = async (latencyMs: number): Promise<LatencyReceiver> => {
  let tally = { requests: 0, bodyBytes: 0, outOfOrder: 0, malformed: 0 };
  let lastByKey = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      tally.requests += 1;
      tally.bodyBytes += body.length;
      const record = parseRecord(body);
      if (record) {
        const last = lastByKey.get(record.partitionKey);
        if (last !== undefined && isBefore(record.sequenceNumber, last)) tally.outOfOrder += 1;
        lastByKey.set(record.partitionKey, record.sequenceNumber);
      } else {
        tally.malformed += 1;
      }
      const answer = () => res.writeHead(200, { 'Content-Length': '0' }).end();
      if (latencyMs > 0) setTimeout(answer, latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    take() {
      const taken = tally;
      tally = { requests: 0, bodyBytes: 0, outOfOrder: 0, malformed: 0 };
      lastByKey = new Map();
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
