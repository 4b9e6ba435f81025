import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoLedger, memoryLedger, resumeKey } from '../../src/services/delivery/ledger';
import { kinesisRecord } from '../helpers/records';

describe('memoryLedger', () => {
  it('recalls what it was told under the same key, and nothing under another', async () => {
    const ledger = memoryLedger();

    await ledger.remember('k1', ['a', 'b'], 1000);

    expect([...((await ledger.recall('k1', 1000)) as Set<string>)]).toEqual(['a', 'b']);
    expect((await ledger.recall('k2', 1000)) as Set<string>).toEqual(new Set());
  });

  it('forgets after its age limit', async () => {
    let clock = 0;
    const ledger = memoryLedger({ ttlSeconds: 60, now: () => clock });
    await ledger.remember('k', ['a'], 1000);

    clock = 59_999;
    const before = await ledger.recall('k', 1000);
    clock = 60_000;
    const after = await ledger.recall('k', 1000);

    expect(before).toEqual(new Set(['a']));
    expect(after).toEqual(new Set());
  });

  it('stays within its bound, forgetting the oldest batches first', async () => {
    const ledger = memoryLedger({ maxIds: 3 });
    await ledger.remember('old', ['a', 'b'], 1000);
    await ledger.remember('new', ['c', 'd'], 1000);

    expect(await ledger.recall('old', 1000)).toEqual(new Set());
    expect(await ledger.recall('new', 1000)).toEqual(new Set(['c', 'd']));
  });
});

describe('dynamoLedger, when DynamoDB fails (aws-sdk-client-mock)', () => {
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  const dynamo = mockClient(client);
  const ledger = dynamoLedger({ table: 'ledger', client });

  beforeEach(() => dynamo.reset());

  it('says why a read failed, instead of throwing', async () => {
    dynamo.on(GetItemCommand).rejects(new ResourceNotFoundException({ message: 'no table', $metadata: {} }));

    expect(await ledger.recall('k', 1000)).toEqual({
      problem: 'reading the ledger table ledger failed: ResourceNotFoundException: no table',
    });
  });

  it('says why a write failed, instead of throwing', async () => {
    dynamo.on(PutItemCommand).rejects(new InternalServerError({ message: 'oops', $metadata: {} }));

    expect(await ledger.remember('k', ['a'], 1000)).toEqual({
      problem: 'writing the ledger table ledger failed: InternalServerError: oops',
    });
  });

  it('gives up on a read that takes longer than its time limit', async () => {
    dynamo.on(GetItemCommand).callsFake(() => new Promise(() => {}));

    expect(await ledger.recall('k', 20)).toEqual({
      problem: 'reading the ledger table ledger failed: Error: no answer within 20 ms',
    });
  });

  it('refuses an item that does not hold a list of ids', async () => {
    const { gzipSync } = await import('node:zlib');
    dynamo.on(GetItemCommand).resolves({
      Item: {
        pk: { S: 'k' },
        ids: { B: gzipSync('{"not":"a list"}') },
        ttl: { N: String(Date.now() / 1000 + 60) },
      },
    });

    expect(await ledger.recall('k', 1000)).toEqual({
      problem: 'reading the ledger table ledger: an item that does not hold a list of ids',
    });
  });

  it('writes the ids gzipped with a TTL, and reads them back', async () => {
    let stored: Record<string, unknown> | undefined;
    dynamo.on(PutItemCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      stored = input.Item;
      return {};
    });
    await ledger.remember('k', ['a', 'b'], 1000);
    dynamo.on(GetItemCommand).resolves({ Item: stored as never });

    expect(await ledger.recall('k', 1000)).toEqual(new Set(['a', 'b']));
    expect(Number((stored?.ttl as { N: string } | undefined)?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('resumeKey', () => {
  it('names the stream, the shard and the sequence number where Lambda resumes', () => {
    const record = kinesisRecord({ shardId: 'shardId-000000000007', sequenceNumber: '42' });

    expect(resumeKey(record)).toBe(`${record.eventSourceARN}/shardId-000000000007/42`);
  });
});
