import {
  type Fault,
  type FaultMix,
  type FaultyReceiver,
  startFaultyReceiver,
} from '../helpers/faulty-receiver';
import { kinesisRecord } from '../helpers/records';

const NONE: FaultMix = { unavailable: 0, throttled: 0, reset: 0, hang: 0, late: 0, slow: 0 };

const only = (fault: keyof FaultMix): FaultMix => ({ ...NONE, [fault]: 1 });

const options = (mix: FaultMix, seed = 'test') => ({
  seed,
  mix,
  slowMs: [50, 80] as const,
  lateMs: 300,
  retryAfterSeconds: 1,
});

// One forwarded request, as the function sends it; resolves with the status or the error's name.
const send = async (receiver: FaultyReceiver, key: string, waitMs = 2000) => {
  const record = kinesisRecord({ partitionKey: key, payload: { key } });
  const started = Date.now();
  try {
    const response = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': record.eventID },
      body: JSON.stringify(record.kinesis),
      signal: AbortSignal.timeout(waitMs),
    });
    await response.arrayBuffer();
    return {
      record,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      tookMs: Date.now() - started,
    };
  } catch (error) {
    return { record, status: (error as Error).name, retryAfter: null, tookMs: Date.now() - started };
  }
};

describe('the faulty receiver', () => {
  let receiver: FaultyReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('records every request with its key, decoded payload and attempt number, failed ones too', async () => {
    receiver = await startFaultyReceiver(options(only('unavailable')));

    const { record } = await send(receiver, 'user-1');
    await fetch(receiver.url, {
      method: 'POST',
      headers: { 'Idempotency-Key': record.eventID },
      body: JSON.stringify(record.kinesis),
    }).then((response) => response.arrayBuffer());

    expect(receiver.requests).toEqual([
      expect.objectContaining({
        index: 0,
        idempotencyKey: record.eventID,
        partitionKey: 'user-1',
        sequenceNumber: record.kinesis.sequenceNumber,
        payload: { key: 'user-1' },
        attempt: 1,
        fault: 'unavailable',
        accepted: false,
      }),
      expect.objectContaining({ index: 1, attempt: 2, fault: 'unavailable' }),
    ]);
    expect(receiver.faultCounts()).toMatchObject({ unavailable: 2, ok: 0 });
  });

  it.each<[keyof FaultMix, string | number, boolean]>([
    ['unavailable', 503, false],
    ['throttled', 429, false],
    ['reset', 'TypeError', false],
    ['slow', 200, true],
    ['late', 200, true],
  ])('answers %s with %s', async (fault, expected, accepted) => {
    receiver = await startFaultyReceiver(options(only(fault)));

    const answer = await send(receiver, 'k');

    expect(answer.status).toBe(expected);
    expect(receiver.requests[0]).toMatchObject({ fault, accepted });
  });

  it('answers slow requests within the slow range and late ones after lateMs', async () => {
    receiver = await startFaultyReceiver(options(only('slow')));
    const slow = await send(receiver, 'k');
    await receiver.close();
    receiver = await startFaultyReceiver(options(only('late')));
    const late = await send(receiver, 'k');

    expect(slow.tookMs).toBeGreaterThanOrEqual(45);
    expect(late.tookMs).toBeGreaterThanOrEqual(295);
  });

  it('asks for Retry-After with a 429, in seconds or as an HTTP date about that far ahead', async () => {
    receiver = await startFaultyReceiver(options(only('throttled')));

    const answers = [];
    for (let index = 0; index < 12; index += 1) answers.push(await send(receiver, `k${index}`));

    const values = answers.map((answer) => answer.retryAfter ?? '');
    const dates = values.filter((value) => value !== '1');
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.length).toBeLessThan(values.length);
    for (const date of dates) {
      expect(Date.parse(date) - Date.now()).toBeLessThanOrEqual(1000);
      expect(Date.parse(date) - Date.now()).toBeGreaterThan(-3000);
    }
  });

  it('leaves a hanging request unanswered until the sender gives up', async () => {
    receiver = await startFaultyReceiver(options(only('hang')));

    const answer = await send(receiver, 'k', 300);

    expect(answer.status).toBe('TimeoutError');
    expect(receiver.requests[0]).toMatchObject({ fault: 'hang', accepted: false });
  });

  it('replays the same faults for the same seed, whatever order the requests come in', async () => {
    const mix: FaultMix = { unavailable: 0.3, throttled: 0, reset: 0.3, hang: 0, late: 0, slow: 0 };
    const keys = Array.from({ length: 20 }, (_, index) => `key-${index}`);
    const faultsOf = async (order: string[], seed: string) => {
      const faulty = await startFaultyReceiver(options(mix, seed));
      const records = keys.map((key) => kinesisRecord({ partitionKey: key }));
      const byKey = new Map(keys.map((key, index) => [key, records[index]]));
      for (const key of order) {
        const record = byKey.get(key);
        await fetch(faulty.url, {
          method: 'POST',
          headers: { 'Idempotency-Key': `fixed:${key}` },
          body: JSON.stringify(record?.kinesis),
        }).then(
          (response) => response.arrayBuffer(),
          () => undefined,
        );
      }
      await faulty.close();
      const fault = new Map<string, Fault>(faulty.requests.map((r) => [r.idempotencyKey ?? '', r.fault]));
      return keys.map((key) => fault.get(`fixed:${key}`));
    };

    const forwards = await faultsOf(keys, 'seed-a');
    const backwards = await faultsOf([...keys].reverse(), 'seed-a');
    const otherSeed = await faultsOf(keys, 'seed-b');

    expect(backwards).toEqual(forwards);
    expect(otherSeed).not.toEqual(forwards);
    expect(new Set(forwards)).toEqual(new Set(['ok', 'unavailable', 'reset']));
  });

  it('refuses fault chances that add up to more than 1', async () => {
    await expect(startFaultyReceiver(options({ ...NONE, hang: 0.6, reset: 0.6 }))).rejects.toThrow(
      'fault chances add up to 1.2, more than 1',
    );
  });
});
