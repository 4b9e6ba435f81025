import http from 'node:http';
import { type LatencyReceiver, startLatencyReceiver } from '../../harness/latency-receiver';

const post = (url: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST' }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
    request.end(body);
  });

const record = (partitionKey: string, sequenceNumber: string) =>
  JSON.stringify({ partitionKey, sequenceNumber });

describe('the latency receiver', () => {
  let receiver: LatencyReceiver;

  afterEach(async () => {
    await receiver.close();
  });

  it('answers 200 and counts requests and body bytes until taken', async () => {
    receiver = await startLatencyReceiver(1);

    const statuses = [await post(receiver.url, record('a', '1')), await post(receiver.url, record('b', '2'))];

    expect(statuses).toEqual([200, 200]);
    const bytes = Buffer.byteLength(record('a', '1')) + Buffer.byteLength(record('b', '2'));
    expect(receiver.take()).toEqual({ requests: 2, bodyBytes: bytes, outOfOrder: 0, malformed: 0 });
    expect(receiver.take()).toEqual({ requests: 0, bodyBytes: 0, outOfOrder: 0, malformed: 0 });
  });

  it('counts a record that comes before the last one seen of its key, comparing sequence numbers as numbers', async () => {
    receiver = await startLatencyReceiver(0);

    await post(receiver.url, record('a', '99'));
    await post(receiver.url, record('a', '100'));
    await post(receiver.url, record('b', '5'));
    await post(receiver.url, record('a', '98'));

    expect(receiver.take().outOfOrder).toBe(1);
  });

  it('counts bodies that are not Kinesis records as malformed', async () => {
    receiver = await startLatencyReceiver(0);

    await post(receiver.url, 'not json');
    await post(receiver.url, '{"partitionKey":"a"}');

    expect(receiver.take()).toMatchObject({ requests: 2, malformed: 2 });
  });
});
