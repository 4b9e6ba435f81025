import { gzipSync } from 'node:zlib';
import { describeRequest } from '../../src/hosts/local/console/event-printer';
import type { ReceivedRequest } from '../../src/hosts/loopback-receiver';

const request = (body: string | Buffer, headers: Record<string, string> = {}): ReceivedRequest => {
  const raw = Buffer.from(body);
  return { method: 'POST', url: '/events', headers, body: raw.toString('utf8'), raw, at: 0 };
};
const kinesis = (partitionKey: string, data: Buffer | string, extra: object = {}) => ({
  partitionKey,
  sequenceNumber: '1',
  data: Buffer.from(data).toString('base64'),
  ...extra,
});
const JSON_TYPE = { 'content-type': 'application/json' };

describe('describeRequest: the embedded receiver shows every body the function sends', () => {
  it('the default body: shard, key and the decoded payload', () => {
    const lines = describeRequest(
      request(JSON.stringify(kinesis('user-7', '{"hello":"world"}')), {
        ...JSON_TYPE,
        'idempotency-key': 'shardId-000000000002:1',
      }),
    );

    expect(lines).toEqual(['[receiver] shardId-000000000002 key=user-7: {"hello":"world"}']);
  });

  it('binary payloads as base64', () => {
    const lines = describeRequest(
      request(JSON.stringify(kinesis('user-7', Buffer.from([0xf3, 0x89, 0x9a, 0xc2]))), {
        'idempotency-key': 's:1',
      }),
    );

    expect(lines).toEqual(['[receiver] s key=user-7: (binary, base64) 84mawg==']);
  });

  it('a user record of a KPL aggregate: the shard from its id, which ends in its index', () => {
    const lines = describeRequest(
      request(JSON.stringify(kinesis('user-2', 'hi', { subSequenceNumber: 3 })), {
        ...JSON_TYPE,
        'idempotency-key': 'shardId-000000000004:49590:3',
      }),
    );

    expect(lines).toEqual(['[receiver] shardId-000000000004 key=user-2 #3: hi']);
  });

  it('FORWARD_BODY=record: the shard from the record, a user record of an aggregate with its index', () => {
    const record = {
      eventID: 'shardId-000000000003:49590',
      kinesis: kinesis('user-1', 'hi', { subSequenceNumber: 2 }),
    };

    const lines = describeRequest(
      request(JSON.stringify(record), { 'idempotency-key': 'shardId-000000000003:49590:2' }),
    );

    expect(lines).toEqual(['[receiver] shardId-000000000003 key=user-1 #2: hi']);
  });

  it('FORWARD_BODY=data: the bytes as they are, the metadata from the headers, a signature noted', () => {
    const lines = describeRequest(
      request('plain text', {
        'kinesis-partition-key': 'a%20key',
        'kinesis-shard-id': 'shardId-000000000001',
        'webhook-signature': 'v1,abc',
      }),
    );

    expect(lines).toEqual(['[receiver] shardId-000000000001 key=a key: plain text (signed)']);
  });

  it('a JSON batch, gzipped: a line for the batch, then one per record', () => {
    const body = gzipSync(JSON.stringify([kinesis('a', '{"n":1}'), kinesis('b', '{"n":2}')]));

    const lines = describeRequest(
      request(body, { ...JSON_TYPE, 'content-encoding': 'gzip', 'idempotency-key': 'batch:xyz' }),
    );

    expect(lines).toEqual([
      '[receiver] a batch of 2 records:',
      '[receiver]   key=a: {"n":1}',
      '[receiver]   key=b: {"n":2}',
    ]);
  });

  it('an NDJSON batch of data items: each item as the JSON it is', () => {
    const lines = describeRequest(
      request('{"n":1}\n"bm90IGpzb24="\n', {
        'content-type': 'application/x-ndjson',
        'idempotency-key': 'batch:x',
      }),
    );

    expect(lines).toEqual([
      '[receiver] a batch of 2 records:',
      '[receiver]   {"n":1}',
      '[receiver]   "bm90IGpzb24="',
    ]);
  });

  it('says what it could not read', () => {
    expect(describeRequest(request('not json', JSON_TYPE))).toEqual([
      '[receiver] a body that is not JSON (8 bytes)',
    ]);
    expect(describeRequest(request('nope', { 'content-encoding': 'gzip' }))).toEqual([
      '[receiver] a gzip body that does not decompress (4 bytes)',
    ]);
  });
});
