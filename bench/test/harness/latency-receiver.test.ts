import http from 'node:http';
import { type LatencyReceiver, startLatencyReceiver } from '../../harness/latency-receiver';

const post = (url: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    // A connection per request, so requests sent together are served together.
    const request = http.request(url, { method: 'POST', agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
    request.end(body);
  });

const record = (partitionKey: string, sequenceNumber: string) =>
  JSON.stringify({ partitionKey, sequenceNumber });

const emptyTally = {
  requests: 0,
  bodyBytes: 0,
  records: 0,
  refused: 0,
  duplicates: 0,
  outOfOrder: 0,
  malformed: 0,
};

describe('the latency receiver', () => {
  let receiver: LatencyReceiver;

  afterEach(async () => {
    await receiver.close();
  });

  it('answers 200 and counts requests, records and body bytes until taken', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 1 });

    const statuses = [await post(receiver.url, record('a', '1')), await post(receiver.url, record('b', '2'))];

    expect(statuses).toEqual([200, 200]);
    const bytes = Buffer.byteLength(record('a', '1')) + Buffer.byteLength(record('b', '2'));
    expect(receiver.take()).toEqual({ ...emptyTally, requests: 2, records: 2, bodyBytes: bytes });
    expect(receiver.take()).toEqual(emptyTally);
  });

  it('counts a record that comes before the last one seen of its key, comparing sequence numbers as numbers', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 0 });

    await post(receiver.url, record('a', '99'));
    await post(receiver.url, record('a', '100'));
    await post(receiver.url, record('b', '5'));
    await post(receiver.url, record('a', '98'));

    expect(receiver.take().outOfOrder).toBe(1);
  });

  it('counts the records of a batch body (a JSON array) one by one, and a record accepted twice', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 0 });

    await post(receiver.url, `[${record('a', '1')},${record('b', '2')},${record('a', '3')}]`);
    await post(receiver.url, record('b', '2'));

    expect(receiver.take()).toMatchObject({ requests: 2, records: 4, duplicates: 1, outOfOrder: 0 });
  });

  it('counts bodies that are not Kinesis records as malformed', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 0 });

    await post(receiver.url, 'not json');
    await post(receiver.url, '{"partitionKey":"a"}');
    await post(receiver.url, `[${record('a', '1')},{"sequenceNumber":"2"}]`);

    expect(receiver.take()).toMatchObject({ requests: 3, malformed: 3 });
  });

  it('serves `capacity` requests at once and answers 503 at once beyond, counting them as refused', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 300, capacity: 3 });

    const statuses = await Promise.all(
      ['1', '2', '3', '4', '5'].map((sequence) => post(receiver.url, record(`key-${sequence}`, sequence))),
    );
    const afterwards = await post(receiver.url, record('key-6', '6'));

    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 503)).toHaveLength(2);
    expect(afterwards).toBe(200);
    expect(receiver.take()).toMatchObject({ requests: 6, records: 4, refused: 2 });
  });

  it('serves any number at once without a capacity', async () => {
    receiver = await startLatencyReceiver({ latencyMs: 100 });

    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => post(receiver.url, record(`key-${index}`, String(index)))),
    );

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(receiver.take()).toMatchObject({ requests: 20, records: 20, refused: 0 });
  });
});
