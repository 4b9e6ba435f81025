import { startLoopbackReceiver } from '../../src/hosts/loopback-receiver';
import { compareSequenceNumbers } from '../../src/services/delivery/lanes';

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

const isBefore = (a: string, b: string): boolean => compareSequenceNumbers(a, b) < 0;

const parseRecord = (body: string): { partitionKey: string; sequenceNumber: string } | undefined => {
  try {
    const { partitionKey, sequenceNumber } = JSON.parse(body) as Record<string, unknown>;
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
  const loopback = await startLoopbackReceiver(({ body }) => {
    tally.requests += 1;
    tally.bodyBytes += Buffer.byteLength(body);
    const record = parseRecord(body);
    if (record) {
      const last = lastByKey.get(record.partitionKey);
      if (last !== undefined && isBefore(record.sequenceNumber, last)) tally.outOfOrder += 1;
      lastByKey.set(record.partitionKey, record.sequenceNumber);
    } else {
      tally.malformed += 1;
    }
    return { status: 200, headers: { 'Content-Length': '0' }, delayMs: latencyMs };
  });
  return {
    url: loopback.url,
    take() {
      const taken = tally;
      tally = { requests: 0, bodyBytes: 0, outOfOrder: 0, malformed: 0 };
      lastByKey = new Map();
      return taken;
    },
    close: () => loopback.close(),
  };
};
