import type { ReceivedRequest } from '../../src/hosts/loopback-receiver';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord, rawRecord } from '../helpers/records';

describe('the body the receiver wants (FORWARD_BODY)', () => {
  const receiver = useReceiver();

  it('kinesis (the default): the record’s kinesis object, data still base64, as the original forwarder sent it', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const record = kinesisRecord({ payload: { n: 1 } });

    await handler(kinesisEvent([record]), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.body).toBe(JSON.stringify(record.kinesis));
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['kinesis-partition-key']).toBeUndefined();
  });

  it('data: the decoded bytes as they are, JSON typed as JSON, and the record’s metadata in headers', async () => {
    // Arrange: a partition key no header could carry as it is.
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BODY: 'data' });
    const record = rawRecord('{"type": "member-registered",\n "id": 7}', { partitionKey: 'user:7 ✓' });

    // Act
    await handler(kinesisEvent([record]), lambdaContext());

    // Assert
    const [request] = receiver.requests as [ReceivedRequest];
    expect(request.body).toBe('{"type": "member-registered",\n "id": 7}');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': record.eventID,
      'kinesis-partition-key': encodeURIComponent('user:7 ✓'),
      'kinesis-sequence-number': record.kinesis.sequenceNumber,
      'kinesis-shard-id': 'shardId-000000000000',
      'kinesis-arrival-time': new Date(record.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
      'kinesis-stream-arn': record.eventSourceARN,
    });
    expect(decodeURIComponent(String(request.headers['kinesis-partition-key']))).toBe('user:7 ✓');
  });

  it.each([
    ['text', Buffer.from('plain text, not JSON'), {}, 'application/octet-stream'],
    ['binary data', Buffer.from([0xff, 0x00, 0xfe, 0x01]), {}, 'application/octet-stream'],
    [
      'text',
      Buffer.from('line one\n'),
      { FORWARD_DATA_CONTENT_TYPE: 'text/plain; charset=utf-8' },
      'text/plain; charset=utf-8',
    ],
  ])(
    'data: %s that is not JSON goes byte for byte, with the configured or the binary type',
    async (_what, bytes, env, type) => {
      const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BODY: 'data', ...env });
      const record = rawRecord(bytes);

      await handler(kinesisEvent([record]), lambdaContext());

      const [request] = receiver.requests as [ReceivedRequest];
      expect(request.raw.equals(bytes)).toBe(true);
      expect(request.headers['content-type']).toBe(type);
    },
  );

  it('record: the whole event record', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BODY: 'record' });
    const record = kinesisRecord();

    await handler(kinesisEvent([record]), lambdaContext());

    expect(JSON.parse((receiver.requests[0] as ReceivedRequest).body)).toEqual(record);
  });

  it('adds the static headers of FORWARD_HEADERS to every request', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_HEADERS: JSON.stringify({ 'X-Source': 'kinesis', 'X-Api-Key': 'k3y' }),
    });

    await handler(kinesisEvent([kinesisRecord(), kinesisRecord({ partitionKey: 'other' })]), lambdaContext());

    for (const request of receiver.requests) {
      expect(request.headers).toMatchObject({ 'x-source': 'kinesis', 'x-api-key': 'k3y' });
    }
  });
});
