import { runScript } from '../helpers/cli';
import { startTestStream, type TestStream } from '../helpers/local-stream';

describe('npm run put', () => {
  let stream: TestStream;
  const env = () => ({ KINESIS_ENDPOINT: stream.endpoint, STREAM_NAME: stream.streamName });

  beforeAll(async () => {
    stream = await startTestStream(4, 'put-target');
  });
  afterAll(async () => {
    await stream.close();
  });

  it('writes each payload --count times under one partition key, in order', async () => {
    const result = await runScript(
      'put',
      ['{"n":1}', '{"n":2}', '--partition-key', 'user-1', '--count', '2'],
      env(),
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('put 4 record(s) to put-target on the Kinesis endpoint');
    const records = (await stream.readAll()).filter((r) => r.partitionKey === 'user-1');
    expect(records.map((r) => r.data)).toEqual(['{"n":1}', '{"n":1}', '{"n":2}', '{"n":2}']);
    expect(new Set(records.map((r) => r.shardId)).size).toBe(1);
    // Up to 10 records, each is listed with its shard and sequence number.
    expect(result.stdout.trimEnd().split('\n').slice(1)).toEqual(
      records.map((r) => `  key=user-1 -> ${r.shardId} ${r.sequenceNumber}`),
    );
  }, 60_000);

  it('reads one payload per line from stdin and spreads records without a key over the shards', async () => {
    const lines = Array.from({ length: 40 }, (_, index) => JSON.stringify({ line: index })).join('\n');

    const result = await runScript('put', [], env(), `${lines}\n\n`);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('put 40 record(s)');
    const fromStdin = (await stream.readAll()).filter((r) => r.data.startsWith('{"line":'));
    expect(fromStdin.map((r) => JSON.parse(r.data).line).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, index) => index),
    );
    expect(new Set(fromStdin.map((r) => r.shardId)).size).toBe(4);
    // Above 10 records: for each shard how many it got, and its first and last sequence number (a shard's records
    // come back from Kinesis in sequence-number order).
    const perShard = [...new Set(fromStdin.map((r) => r.shardId))].sort().map((shardId) => {
      const inShard = fromStdin.filter((r) => r.shardId === shardId);
      const first = inShard[0]?.sequenceNumber;
      const last = inShard.at(-1)?.sequenceNumber;
      return `  ${shardId}: ${inShard.length} record${inShard.length === 1 ? '' : 's'}, sequence numbers ${first} to ${last}`;
    });
    expect(result.stdout.trimEnd().split('\n').slice(1)).toEqual(perShard);
  }, 60_000);

  it('refuses a payload that is not JSON, writing nothing', async () => {
    const before = (await stream.readAll()).length;

    const result = await runScript('put', ['{"ok":true}', '{not json}'], env());

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('put: argument 2 is not valid JSON');
    expect((await stream.readAll()).length).toBe(before);
  }, 60_000);

  it('says what to do when no emulator answers', async () => {
    const result = await runScript('put', ['{}'], { KINESIS_PORT: '1' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Nothing answers at the embedded Kinesis emulator at http://127.0.0.1:1: start `npm start` in another terminal first',
    );
  }, 60_000);

  it('names a stream that does not exist', async () => {
    const result = await runScript('put', ['{}'], { KINESIS_ENDPOINT: stream.endpoint, STREAM_NAME: 'nope' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stream nope does not exist on the Kinesis endpoint');
  }, 60_000);
});
