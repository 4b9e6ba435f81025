import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Webhook } from 'standardwebhooks';
import type { ReceivedRequest } from '../../src/hosts/loopback-receiver';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent, kinesisRecord, rawRecord } from '../helpers/records';

type Kinesis = { partitionKey: string; sequenceNumber: string; data: string };

const payloadOf = (kinesis: Kinesis) =>
  JSON.parse(Buffer.from(kinesis.data, 'base64').toString('utf8')) as { key: string; index: number };
const itemsIn = (request: ReceivedRequest): Kinesis[] => JSON.parse(request.body) as Kinesis[];
const indexesIn = (request: ReceivedRequest) => itemsIn(request).map((item) => payloadOf(item).index);
const failedSequences = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

describe('batches: several records per request', () => {
  const receiver = useReceiver();

  it('sends up to FORWARD_BATCH_MAX_RECORDS records per request, as a JSON array, in stream order', async () => {
    // Arrange
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BATCH_MAX_RECORDS: '4' });
    const records = interleavedRecords(10, 10);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map(indexesIn).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    for (const request of receiver.requests) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['idempotency-key']).toMatch(/^batch:[\w-]{43}$/);
      for (const item of itemsIn(request)) {
        const record = records.find((candidate) => candidate.kinesis.sequenceNumber === item.sequenceNumber);
        expect(item).toEqual(record?.kinesis);
      }
    }
  });

  it('frames records of several bytes per character exactly, in both formats', async () => {
    // Arrange: data bodies (each record's JSON as written) with two-, three- and four-byte characters.
    const texts = ['{"name":"Zoë"}', '{"mark":"✓"}', '{"ship":"🚀"}'];
    const send = async (format: string) => {
      const handler = loadHandler({
        FORWARD_URL: receiver.url,
        FORWARD_BODY: 'data',
        FORWARD_BATCH_MAX_RECORDS: '10',
        FORWARD_BATCH_FORMAT: format,
      });
      return handler(kinesisEvent(texts.map((text) => rawRecord(text))), lambdaContext());
    };

    // Act
    await send('json');
    await send('ndjson');

    // Assert: the bytes are the texts as written, and Content-Length counts bytes, not characters.
    const [json, ndjson] = receiver.requests as [ReceivedRequest, ReceivedRequest];
    expect(json.body).toBe(`[${texts.join(',')}]`);
    expect(ndjson.body).toBe(`${texts.join('\n')}\n`);
    expect(Number(json.headers['content-length'])).toBe(Buffer.byteLength(json.body));
    expect(Number(ndjson.headers['content-length'])).toBe(Buffer.byteLength(ndjson.body));
  });

  it('writes NDJSON with FORWARD_BATCH_FORMAT=ndjson', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BATCH_MAX_RECORDS: '10',
      FORWARD_BATCH_FORMAT: 'ndjson',
    });
    const records = interleavedRecords(3, 3);

    await handler(kinesisEvent(records), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.headers['content-type']).toBe('application/x-ndjson');
    expect(request.body).toBe(`${records.map((record) => JSON.stringify(record.kinesis)).join('\n')}\n`);
  });

  it('keeps each request within FORWARD_BATCH_MAX_BYTES, and sends a record larger than that on its own', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BATCH_MAX_RECORDS: '100',
      FORWARD_BATCH_MAX_BYTES: '3000',
    });
    const records = [
      ...Array.from({ length: 6 }, (_, index) =>
        kinesisRecord({ partitionKey: `k${index}`, payload: { index, pad: 'x'.repeat(700) } }),
      ),
      kinesisRecord({ partitionKey: 'big', payload: { index: 6, pad: 'y'.repeat(4000) } }),
    ];

    const response = await handler(kinesisEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const sizes = receiver.requests.map((request) => ({
      bytes: request.raw.length,
      count: itemsIn(request).length,
    }));
    for (const { bytes, count } of sizes) expect(bytes <= 3000 || count === 1).toBe(true);
    expect(sizes.some(({ bytes, count }) => bytes > 3000 && count === 1)).toBe(true);
    expect(receiver.requests.flatMap(indexesIn).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps per-key order: a key in one request at a time, its records in order, across varied answer times', async () => {
    // Arrange: room for many requests at once, and answers that take varying times.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BATCH_MAX_RECORDS: '4',
      FORWARD_CONCURRENCY: '16',
    });
    const delayOf = (position: number) => 1 + ((position * 7) % 5);
    receiver.respond = (_request, position) => ({ status: 200, delayMs: delayOf(position) });
    const records = interleavedRecords(60, 5);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert: every record once; for each key, a request arrives only after the previous one with it was answered.
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.flatMap(indexesIn).sort((a, b) => a - b)).toEqual(
      records.map((_, index) => index),
    );
    const lastOf = new Map<string, { index: number; answeredAt: number }>();
    for (const [position, request] of receiver.requests.entries()) {
      for (const item of itemsIn(request)) {
        const { key, index } = payloadOf(item);
        const last = lastOf.get(key);
        expect(index).toBeGreaterThan(last?.index ?? -1);
        if (last && last.answeredAt !== request.at + delayOf(position)) {
          expect(request.at).toBeGreaterThanOrEqual(last.answeredAt);
        }
        lastOf.set(key, { index, answeredAt: request.at + delayOf(position) });
      }
    }
  });

  it('reports only what the receiver did not accept, and what of its key came after it', async () => {
    // Arrange: one request of a0 b0 a1 b1 a2 b2; the receiver refuses a1 in its per-item result.
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BATCH_MAX_RECORDS: '10' });
    const records = [0, 1, 2].flatMap((index) => [
      kinesisRecord({ partitionKey: 'a', payload: { key: 'a', index } }),
      kinesisRecord({ partitionKey: 'b', payload: { key: 'b', index } }),
    ]);
    const [, , a1, , a2] = records;
    receiver.respond = () => ({
      status: 207,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rejected: [a1?.eventID] }),
    });

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert: a1 failed, a2 held back behind it; a0 and every b delivered.
    expect(receiver.requests).toHaveLength(1);
    expect(failedSequences(response)).toEqual(
      [a1?.kinesis.sequenceNumber, a2?.kinesis.sequenceNumber].sort(),
    );
  });

  it('accepts the whole request on a plain 2xx, and fails it all (holding back the keys) on anything else', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BATCH_MAX_RECORDS: '2' });
    const records = interleavedRecords(6, 2);
    // The first request (key-0#0, key-1#1) is accepted; the next is refused: nothing after it goes out.
    receiver.respond = (_request, index) => (index === 0 ? { status: 200, body: 'ok' } : { status: 400 });

    const response = await handler(kinesisEvent(records), lambdaContext());

    expect(receiver.requests.map(indexesIn)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(failedSequences(response)).toEqual(
      records
        .slice(2)
        .map((record) => record.kinesis.sequenceNumber)
        .sort(),
    );
  });

  it('fails the whole request when its per-item result is not a list of ids', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BATCH_MAX_RECORDS: '10' });
    receiver.respond = () => ({ status: 207, body: '{"rejected": "all of them"}' });
    const records = interleavedRecords(3, 3);

    const response = await handler(kinesisEvent(records), lambdaContext());

    expect(response.batchItemFailures).toHaveLength(3);
  });

  it('retries a request as one, with the same Idempotency-Key, after Retry-After', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BATCH_MAX_RECORDS: '10' });
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 };

    const response = await handler(kinesisEvent(interleavedRecords(5, 5)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const [first, second] = receiver.requests as [ReceivedRequest, ReceivedRequest];
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(second.body).toBe(first.body);
    expect(second.at - first.at).toBeGreaterThanOrEqual(990);
  });

  it('reports every record before the Lambda timeout when the receiver never answers', async () => {
    receiver.respond = () => ({ hang: true });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BATCH_MAX_RECORDS: '10',
      FORWARD_DEADLINE_MARGIN_MS: '500',
    });
    const records = interleavedRecords(25, 5);

    const response = await handler(kinesisEvent(records), lambdaContext(2500));

    expect(response.batchItemFailures).toHaveLength(25);
  });

  it('stops after FORWARD_BREAKER_THRESHOLD failed requests, as it does for records', async () => {
    receiver.respond = () => ({ status: 503 });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BATCH_MAX_RECORDS: '2',
      FORWARD_ORDERING: 'none',
      FORWARD_CONCURRENCY: '1',
      FORWARD_BREAKER_THRESHOLD: '3',
      FORWARD_BACKOFF_BASE_MS: '1',
    });

    const response = await handler(kinesisEvent(interleavedRecords(40, 40)), lambdaContext());

    expect(response.batchItemFailures).toHaveLength(40);
    expect(receiver.requests.length).toBeLessThanOrEqual(3);
  });

  it('puts data bodies into the array as JSON values, and data that is not JSON as its base64 string', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_BODY: 'data',
      FORWARD_BATCH_MAX_RECORDS: '10',
      FORWARD_ORDERING: 'shard',
    });
    const binary = Buffer.from([0xff, 0x01]);
    const records = [rawRecord('{"n":\n 1}'), rawRecord('not json'), rawRecord(binary)];

    await handler(kinesisEvent(records), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.body).toBe(
      `[{"n":  1},${JSON.stringify(Buffer.from('not json').toString('base64'))},${JSON.stringify(binary.toString('base64'))}]`,
    );
  });
});

describe('compression (FORWARD_CONTENT_ENCODING=gzip)', () => {
  const receiver = useReceiver();

  it.each([
    ['one record per request', '1'],
    ['a batch', '10'],
  ])('gzips the body of %s, signed before compression', async (_what, batch) => {
    // Arrange
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_CONTENT_ENCODING: 'gzip',
      FORWARD_BATCH_MAX_RECORDS: batch,
      FORWARD_SIGNING_SECRET: secret,
    });
    const record = kinesisRecord({ payload: { text: 'z'.repeat(2000) } });

    // Act
    await handler(kinesisEvent([record]), lambdaContext());

    // Assert
    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.headers['content-encoding']).toBe('gzip');
    const body = gunzipSync(request.raw);
    expect(request.raw.length).toBeLessThan(body.length);
    expect(JSON.parse(body.toString('utf8'))).toEqual(batch === '1' ? record.kinesis : [record.kinesis]);
    expect(() => new Webhook(secret).verify(body, request.headers as Record<string, string>)).not.toThrow();
  });
});
