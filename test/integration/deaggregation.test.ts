import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { ReceivedRequest } from '../../src/hosts/loopback-receiver';
import { captureOutputOf } from '../helpers/capture-output';
import { aggregate } from '../helpers/kpl';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord, rawRecord } from '../helpers/records';

type SubRecord = { partitionKey: string; sequenceNumber: string; data: string; subSequenceNumber?: number };

const bodyOf = (request: ReceivedRequest) => JSON.parse(request.body) as SubRecord;
const text = (sub: SubRecord) => Buffer.from(sub.data, 'base64').toString('utf8');
const aggregateRecord = (users: { partitionKey: string; data: string }[], partitionKey = 'kpl') =>
  rawRecord(aggregate(users), { partitionKey });
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'kpl', name), 'utf8')) as KinesisStreamEvent;

describe('KPL aggregates with FORWARD_DEAGGREGATE=true', () => {
  const receiver = useReceiver();

  it('forwards each user record on its own, as the parent’s kinesis object with its own key, data and index', async () => {
    // Arrange
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEAGGREGATE: 'true' });
    const parent = aggregateRecord([
      { partitionKey: 'user-1', data: '{"n":1}' },
      { partitionKey: 'user-2', data: '{"n":2}' },
    ]);

    // Act
    const response = await handler(kinesisEvent([parent]), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    const sent = receiver.requests.map((request) => ({
      key: request.headers['idempotency-key'],
      body: bodyOf(request),
    }));
    sent.sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(sent).toEqual([
      {
        key: `${parent.eventID}:0`,
        body: {
          ...parent.kinesis,
          partitionKey: 'user-1',
          data: Buffer.from('{"n":1}').toString('base64'),
          subSequenceNumber: 0,
        },
      },
      {
        key: `${parent.eventID}:1`,
        body: {
          ...parent.kinesis,
          partitionKey: 'user-2',
          data: Buffer.from('{"n":2}').toString('base64'),
          subSequenceNumber: 1,
        },
      },
    ]);
  });

  it('forwards the user records of real KPL output', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_DEAGGREGATE: 'true',
      FORWARD_BODY: 'data',
    });
    const event = fixture('kinesis-aggregation-python-kpl_generated_rec_with_ehks.json');

    const response = await handler(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const bodies = receiver.requests.map((request) => request.body).sort();
    expect(bodies).toHaveLength(4);
    expect(bodies[0]).toMatch(/^RECORD 22 /);
    expect(bodies[3]).toMatch(/^RECORD 25 /);
    for (const request of receiver.requests) {
      expect(request.headers['kinesis-sub-sequence-number']).toMatch(/^[0-3]$/);
      expect(request.headers['kinesis-sequence-number']).toBe(event.Records[0]?.kinesis.sequenceNumber);
    }
  });

  it('keeps order per user key across aggregates, one record of a key at a time', async () => {
    // Arrange: two aggregates, each with records of keys a and b; answers take varying times.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_DEAGGREGATE: 'true',
      FORWARD_CONCURRENCY: '8',
    });
    const delayOf = (position: number) => 1 + ((position * 3) % 4);
    receiver.respond = (_request, position) => ({ status: 200, delayMs: delayOf(position) });
    const batch = [0, 1].map((parent) =>
      aggregateRecord(
        [0, 1, 2].flatMap((index) => [
          { partitionKey: 'a', data: `a${parent * 3 + index}` },
          { partitionKey: 'b', data: `b${parent * 3 + index}` },
        ]),
      ),
    );

    // Act
    await handler(kinesisEvent(batch), lambdaContext());

    // Assert
    expect(receiver.requests).toHaveLength(12);
    for (const key of ['a', 'b']) {
      const ofKey = receiver.requests
        .map((request, position) => ({ request, position }))
        .filter(({ request }) => bodyOf(request).partitionKey === key);
      expect(ofKey.map(({ request }) => text(bodyOf(request)))).toEqual(
        [0, 1, 2, 3, 4, 5].map((n) => `${key}${n}`),
      );
      for (const [at, { request }] of ofKey.entries()) {
        const before = ofKey[at - 1];
        if (before) expect(request.at).toBeGreaterThanOrEqual(before.request.at + delayOf(before.position));
      }
    }
  });

  it('reports the parent’s sequence number when a user record of it is not delivered, holding back its key', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEAGGREGATE: 'true' });
    const first = aggregateRecord([
      { partitionKey: 'a', data: 'a0' },
      { partitionKey: 'b', data: 'b0' },
    ]);
    const second = aggregateRecord([
      { partitionKey: 'a', data: 'a1' },
      { partitionKey: 'c', data: 'c1' },
    ]);
    receiver.respond = (request) => ({ status: text(bodyOf(request)) === 'b0' ? 400 : 200 });

    const response = await handler(kinesisEvent([first, second]), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: first.kinesis.sequenceNumber }] });
    expect(receiver.requests.map((request) => text(bodyOf(request))).sort()).toEqual([
      'a0',
      'a1',
      'b0',
      'c1',
    ]);
  });

  it('passes a record that is not an aggregate through unchanged', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEAGGREGATE: 'true' });
    const plain = kinesisRecord({ payload: { plain: true } });

    await handler(kinesisEvent([plain]), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.body).toBe(JSON.stringify(plain.kinesis));
    expect(request.headers['idempotency-key']).toBe(plain.eventID);
  });

  it('refuses a corrupt aggregate with a clear reason, sending none of it', async () => {
    // Arrange: a good aggregate, then one whose MD5 does not match.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_DEAGGREGATE: 'true',
      FORWARD_ORDERING: 'none',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    const good = aggregateRecord([{ partitionKey: 'a', data: 'fine' }]);
    const corrupt = rawRecord(
      aggregate([{ partitionKey: 'b', data: 'secret-payload' }], { badDigest: true }),
    );

    // Act
    let response: Awaited<ReturnType<typeof handler>> | undefined;
    const output = await captureOutputOf(async () => {
      response = await handler(kinesisEvent([good, corrupt]), lambdaContext());
    });

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: corrupt.kinesis.sequenceNumber }] });
    expect(receiver.requests.map((request) => text(bodyOf(request)))).toEqual(['fine']);
    const failure = output.lines().find((line) => line.message === 'records not delivered');
    expect(failure).toMatchObject({ records: 1, eventIDs: [corrupt.eventID] });
    expect(String(failure?.reason)).toMatch(/^not forwarded, none of it: Corrupt KPL aggregate: .*MD5/);
    expect(output.text()).not.toContain('secret-payload');
  });

  it('forwards the aggregate as it is when de-aggregation is off', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const parent: KinesisStreamRecord = aggregateRecord([
      { partitionKey: 'a', data: 'a0' },
      { partitionKey: 'b', data: 'b0' },
    ]);

    await handler(kinesisEvent([parent]), lambdaContext());

    expect(receiver.requests.map((request) => request.body)).toEqual([JSON.stringify(parent.kinesis)]);
  });

  it('batches user records like records, each under its own id', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_DEAGGREGATE: 'true',
      FORWARD_BATCH_MAX_RECORDS: '10',
    });
    const parent = aggregateRecord([
      { partitionKey: 'a', data: 'a0' },
      { partitionKey: 'b', data: 'b0' },
      { partitionKey: 'a', data: 'a1' },
    ]);
    receiver.respond = () => ({ status: 207, body: JSON.stringify({ rejected: [`${parent.eventID}:1`] }) });

    const response = await handler(kinesisEvent([parent]), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect((JSON.parse(request.body) as SubRecord[]).map(text)).toEqual(['a0', 'b0', 'a1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: parent.kinesis.sequenceNumber }] });
  });
});
