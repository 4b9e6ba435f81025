import type { IncomingHttpHeaders } from 'node:http';
import { type Reply, startReceiver } from './receiver';
import { seededFraction, seededInteger } from './seeded-random';

/** What the receiver does with one request. */
export type Fault =
  /** 200 at once. */
  | 'ok'
  /** 200 after a delay shorter than the forwarder's attempt timeout. */
  | 'slow'
  /** Accepted, but the 200 comes after the forwarder stopped waiting: a delivery it cannot know about. */
  | 'late'
  /** 503. */
  | 'unavailable'
  /** 429 with a Retry-After, in seconds or as an HTTP date. */
  | 'throttled'
  /** The socket is destroyed without an answer. */
  | 'reset'
  /** Never answers; the forwarder's timeout or deadline has to end it. */
  | 'hang';

export type InjectedFault = Exclude<Fault, 'ok'>;

/** The chance of each fault per request; whatever is left over answers `ok`. */
export type FaultMix = Readonly<Record<InjectedFault, number>>;

export interface FaultyReceiverOptions {
  readonly seed: string;
  readonly mix: FaultMix;
  /** Range of the delay of a `slow` answer, in milliseconds. */
  readonly slowMs: readonly [number, number];
  /** Delay of a `late` answer; make it longer than the forwarder's attempt timeout. */
  readonly lateMs: number;
  /** What a 429 asks the forwarder to wait. */
  readonly retryAfterSeconds: number;
}

/** One request as the faulty receiver saw it, failed or not. */
export interface FaultyRequest {
  /** Arrival order, from 0. */
  readonly index: number;
  readonly at: number;
  readonly idempotencyKey: string | undefined;
  readonly partitionKey: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** The record's data, decoded from base64 and parsed as JSON; undefined when unreadable. */
  readonly payload: unknown;
  /** 1 for the first request carrying this Idempotency-Key, 2 for the next, ... */
  readonly attempt: number;
  readonly fault: Fault;
  /** The receiver took the record (it answered, or was going to answer, 2xx). */
  readonly accepted: boolean;
}

export interface FaultyReceiver {
  readonly url: string;
  readonly requests: readonly FaultyRequest[];
  /** How often each fault was injected. */
  faultCounts(): Record<Fault, number>;
  close(): Promise<void>;
}

const FAULTS: readonly InjectedFault[] = ['unavailable', 'throttled', 'reset', 'hang', 'late', 'slow'];

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

// The forwarded body is the record's `kinesis` object; anything unreadable is left undefined for the audit to flag.
type BodyParts = Pick<FaultyRequest, 'partitionKey' | 'sequenceNumber' | 'payload'>;

const readBody = (body: string): BodyParts => {
  let kinesis: { partitionKey?: unknown; sequenceNumber?: unknown; data?: unknown };
  try {
    kinesis = JSON.parse(body) as typeof kinesis;
  } catch {
    return { partitionKey: undefined, sequenceNumber: undefined, payload: undefined };
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text(kinesis.data) ?? '', 'base64').toString('utf8'));
  } catch {
    payload = undefined;
  }
  return { partitionKey: text(kinesis.partitionKey), sequenceNumber: text(kinesis.sequenceNumber), payload };
};

const pickFault = (mix: FaultMix, draw: number): Fault => {
  let threshold = 0;
  for (const fault of FAULTS) {
    threshold += mix[fault];
    if (draw < threshold) return fault;
  }
  return 'ok';
};

/**
 * Starts a receiver on 127.0.0.1 that misbehaves on purpose. The fault of each request depends only on the
 * seed, the Idempotency-Key and how many requests with that key came before, so a seed replays the same plan
 * however the requests interleave.
 */
export const startFaultyReceiver = async (options: FaultyReceiverOptions): Promise<FaultyReceiver> => {
  const { seed, mix } = options;
  const total = FAULTS.reduce((sum, fault) => sum + mix[fault], 0);
  if (total > 1) throw new Error(`fault chances add up to ${total}, more than 1`);

  const requests: FaultyRequest[] = [];
  const attemptsByKey = new Map<string, number>();

  const replyTo = (fault: Fault, label: string, attempt: number): Reply => {
    switch (fault) {
      case 'ok':
        return { status: 200 };
      case 'slow':
        return { status: 200, delayMs: seededInteger(...options.slowMs, seed, label, attempt, 'delay') };
      case 'late':
        return { status: 200, delayMs: options.lateMs };
      case 'unavailable':
        return { status: 503 };
      case 'throttled': {
        const asDate = seededFraction(seed, label, attempt, 'date') < 0.5;
        const retryAfter = asDate
          ? new Date(Date.now() + options.retryAfterSeconds * 1000).toUTCString()
          : String(options.retryAfterSeconds);
        return { status: 429, headers: { 'Retry-After': retryAfter } };
      }
      case 'reset':
        return { reset: true };
      case 'hang':
        return { hang: true };
    }
  };

  const receiver = await startReceiver((request) => {
    const idempotencyKey = header(request.headers, 'idempotency-key');
    // Without a key (a bug the audit reports) the body stands in, so faults stay reproducible.
    const label = idempotencyKey ?? request.body;
    const attempt = (attemptsByKey.get(label) ?? 0) + 1;
    attemptsByKey.set(label, attempt);
    const fault = pickFault(mix, seededFraction(seed, label, attempt, 'fault'));
    requests.push({
      index: requests.length,
      at: request.at,
      idempotencyKey,
      ...readBody(request.body),
      attempt,
      fault,
      accepted: fault === 'ok' || fault === 'slow' || fault === 'late',
    });
    return replyTo(fault, label, attempt);
  });

  return {
    url: receiver.url,
    requests,
    faultCounts: () => {
      const counts: Record<Fault, number> = {
        ok: 0,
        slow: 0,
        late: 0,
        unavailable: 0,
        throttled: 0,
        reset: 0,
        hang: 0,
      };
      for (const request of requests) counts[request.fault] += 1;
      return counts;
    },
    close: () => receiver.close(),
  };
};
