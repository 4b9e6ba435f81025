import { startLoopbackReceiver } from '../../src/hosts/loopback-receiver';
import { compareSequenceNumbers } from '../../src/services/delivery/lanes';

/** What the receiver saw since the last {@link LatencyReceiver.take}. */
export interface ReceiverTally {
  readonly requests: number;
  readonly bodyBytes: number;
  /** Records in the requests it accepted: one per request, or the items of a JSON array. */
  readonly records: number;
  /** Requests answered 503 because `capacity` requests were already being served. */
  readonly refused: number;
  /** Accepted records whose sequence number had been accepted before. */
  readonly duplicates: number;
  /** Accepted records that came before the last one seen of their partition key: an ordering bug, where promised. */
  readonly outOfOrder: number;
  /** Bodies that were not a JSON Kinesis record or an array of them. */
  readonly malformed: number;
}

export interface LatencyReceiverOptions {
  /** Milliseconds before each accepted request is answered 200; 0 answers at once. */
  readonly latencyMs: number;
  /** Requests it serves at once; beyond that it answers 503 at once. No limit when undefined. */
  readonly capacity?: number;
}

export interface LatencyReceiver {
  readonly url: string;
  /** Returns the tally and starts a new one. */
  take(): ReceiverTally;
  close(): Promise<void>;
}

interface RecordKey {
  readonly partitionKey: string;
  readonly sequenceNumber: string;
}

const isBefore = (a: string, b: string): boolean => compareSequenceNumbers(a, b) < 0;

const recordKey = (value: unknown): RecordKey | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { partitionKey, sequenceNumber } = value as Record<string, unknown>;
  return typeof partitionKey === 'string' && typeof sequenceNumber === 'string'
    ? { partitionKey, sequenceNumber }
    : undefined;
};

// The records of a body: one `kinesis` object, or a JSON array of them (batch mode); undefined when malformed.
const parseRecords = (body: string): RecordKey[] | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Counted as malformed by the caller and reported with the run.
    return undefined;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const keys = items.map(recordKey);
  return keys.every((key) => key !== undefined) ? (keys as RecordKey[]) : undefined;
};

const emptyTally = () => ({
  requests: 0,
  bodyBytes: 0,
  records: 0,
  refused: 0,
  duplicates: 0,
  outOfOrder: 0,
  malformed: 0,
});

/**
 * An HTTP receiver on 127.0.0.1 that answers every POST with 200 after `latencyMs` (at once for 0), reads every
 * body fully, and checks that the records of each partition key arrive in sequence-number order and once. With a
 * `capacity` it serves that many requests at once and answers 503 at once beyond, as an overloaded service does.
 */
export const startLatencyReceiver = async ({
  latencyMs,
  capacity,
}: LatencyReceiverOptions): Promise<LatencyReceiver> => {
  let tally = emptyTally();
  let lastByKey = new Map<string, string>();
  let accepted = new Set<string>();
  let serving = 0;
  const loopback = await startLoopbackReceiver(({ body }) => {
    tally.requests += 1;
    tally.bodyBytes += Buffer.byteLength(body);
    if (capacity !== undefined && serving >= capacity) {
      tally.refused += 1;
      return { status: 503, headers: { 'Content-Length': '0' } };
    }
    serving += 1;
    // Fires just before the answer, whose timer is set after this one with the same delay.
    setTimeout(() => {
      serving -= 1;
    }, latencyMs);
    const records = parseRecords(body);
    if (records === undefined) tally.malformed += 1;
    for (const { partitionKey, sequenceNumber } of records ?? []) {
      tally.records += 1;
      if (accepted.has(sequenceNumber)) tally.duplicates += 1;
      accepted.add(sequenceNumber);
      const last = lastByKey.get(partitionKey);
      if (last !== undefined && isBefore(sequenceNumber, last)) tally.outOfOrder += 1;
      lastByKey.set(partitionKey, sequenceNumber);
    }
    return { status: 200, headers: { 'Content-Length': '0' }, delayMs: latencyMs };
  });
  return {
    url: loopback.url,
    take() {
      const taken = tally;
      tally = emptyTally();
      lastByKey = new Map();
      accepted = new Set();
      return taken;
    },
    close: () => loopback.close(),
  };
};
