import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { startReceiver, useReceiver } from '../helpers/receiver';
import { decodePayload, interleavedRecords, kinesisEvent, kinesisRecord } from '../helpers/records';

describe('forwarding a batch to a real HTTP receiver', () => {
  const receiver = useReceiver();

  it('POSTs each record with the kinesis object as body and the contract headers', async () => {
    // Arrange
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_TOKEN: 'Bearer s3cret' });
    const record = kinesisRecord({ partitionKey: 'user-7', payload: { type: 'member-registered', id: 7 } });

    // Act
    const response = await handler(kinesisEvent([record]), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/events');
    expect(JSON.parse(request?.body ?? '')).toEqual(record.kinesis);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe(record.eventID);
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(request?.headers['user-agent']).toMatch(/^kinesis-http-forwarder\/\d+\.\d+\.\d+/);
  });

  it('sends no Authorization header when no token is configured', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });

    await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(receiver.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('accepts the original forwarder variable names', async () => {
    const handler = loadHandler({ LISTENER_ENDPOINT: receiver.url, LISTENER_AUTH_TOKEN: 'legacy-token' });

    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests[0]?.headers.authorization).toBe('legacy-token');
  });

  it.each([
    ['a character no header can hold', 'Bearer s3cret\u2713'],
    ['a line break', 'Bearer s3cret\nmore'],
  ])('fails the cold start, naming the variable, for a token with %s', (_kind, token) => {
    const load = () => loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_TOKEN: token });

    expect(load).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(load).toThrow(/^FORWARD_AUTH_TOKEN cannot be sent as the Authorization header: it contains /);
    expect(load).not.toThrow(/s3cret/);
  });

  it('delivers every record of an interleaved batch, in order per partition key, one at a time per key', async () => {
    // Arrange: room for every key's records to be in flight at once, and answers that take varying times.
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_CONCURRENCY: '16' });
    const delayOf = (position: number) => 1 + ((position * 7) % 5);
    // When each answer went out, by the receiver's clock: a timer's delay added to the arrival time can overstate it
    // by a millisecond.
    const answeredAt: number[] = [];
    receiver.respond = (_request, position) => ({
      status: 204,
      after: sleep(delayOf(position)).then(() => {
        answeredAt[position] = Date.now();
      }),
    });
    const records = interleavedRecords(60, 3);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert: each record of a key arrived after the previous one of that key was answered.
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(60);
    const previousOf = new Map<string, { index: number; answeredAt: number }>();
    for (const [position, request] of receiver.requests.entries()) {
      const { key, index } = decodePayload(request.body) as { key: string; index: number };
      const previous = previousOf.get(key);
      expect(index).toBeGreaterThan(previous?.index ?? -1);
      expect(request.at).toBeGreaterThanOrEqual(previous?.answeredAt ?? 0);
      previousOf.set(key, { index, answeredAt: answeredAt[position] ?? Number.POSITIVE_INFINITY });
    }
  });

  it('answers an empty batch with an empty failure list and sends nothing', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });

    const response = await handler(kinesisEvent([]), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports every record, without throwing, when the whole batch fails', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_ORDERING: 'none' });
    receiver.respond = () => ({ status: 400 });
    const records = [kinesisRecord({ partitionKey: 'a' }), kinesisRecord({ partitionKey: 'b' })];

    const response = await handler(kinesisEvent(records), lambdaContext());

    const failed = response.batchItemFailures.map((f) => f.itemIdentifier).sort();
    expect(failed).toEqual(records.map((r) => r.kinesis.sequenceNumber).sort());
  });
});

describe('concurrent invocations in one process (as the local mode runs shards)', () => {
  it('keep their batches and responses apart', async () => {
    // Arrange
    const receiver = await startReceiver((request) => ({
      status: (decodePayload(request.body) as { fail?: boolean }).fail ? 400 : 200,
      delayMs: 5,
    }));
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const first = [kinesisRecord({ payload: { fail: true } }), kinesisRecord({ partitionKey: 'x' })];
    const second = [
      kinesisRecord({ partitionKey: 'y' }),
      kinesisRecord({ partitionKey: 'z', payload: { fail: true } }),
    ];

    // Act
    const [one, two] = await Promise.all([
      handler(kinesisEvent(first), lambdaContext()),
      handler(kinesisEvent(second), lambdaContext()),
    ]);
    await receiver.close();

    // Assert
    expect(one).toEqual({ batchItemFailures: [{ itemIdentifier: first[0]?.kinesis.sequenceNumber }] });
    expect(two).toEqual({ batchItemFailures: [{ itemIdentifier: second[1]?.kinesis.sequenceNumber }] });
  });
});

describe('response bodies', () => {
  it('delivers a record whose 2xx answer has a body larger than FORWARD_MAX_RESPONSE_BYTES, and goes on', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: 'x'.repeat(300_000) }));
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_MAX_RESPONSE_BYTES: '1024' });
    const records = [kinesisRecord({ partitionKey: 'k' }), kinesisRecord({ partitionKey: 'k' })];

    const response = await handler(kinesisEvent(records), lambdaContext());
    await receiver.close();

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(2);
  });
});

describe('endpoints', () => {
  it('reaches an IPv6 loopback receiver and keeps the path and query of FORWARD_URL', async () => {
    const http = await import('node:http');
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    const { port } = server.address() as { port: number };
    const handler = loadHandler({ FORWARD_URL: `http://[::1]:${port}/hooks/kinesis?source=stream` });

    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['POST /hooks/kinesis?source=stream']);
  });
});
