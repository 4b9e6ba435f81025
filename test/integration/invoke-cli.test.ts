import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KinesisStreamEvent } from 'aws-lambda';
import { useReceiver } from '../helpers/receiver';
import { runInvoke } from '../helpers/run-invoke';

const SILENT = { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };
const sampleEvent = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', name), 'utf8')) as KinesisStreamEvent;

describe('npm run invoke', () => {
  const receiver = useReceiver(() => ({ status: 204 }));
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invoke-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forwards the event file and prints only the response on stdout', async () => {
    // Arrange
    const event = sampleEvent('single-record.json');

    // Act
    const run = await runInvoke(['events/single-record.json'], { FORWARD_URL: receiver.url });

    // Assert
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual(event.Records.map((r) => r.kinesis));
  });

  it('prints the partial batch response and writes the logs to stderr', async () => {
    const event = sampleEvent('several-partition-keys.json');
    receiver.respond = (request) => ({ status: request.body.includes('"member-19"') ? 400 : 204 });

    const run = await runInvoke(['events/several-partition-keys.json'], { FORWARD_URL: receiver.url });

    expect(run.code).toBe(0);
    const failed = (JSON.parse(run.stdout) as { batchItemFailures: Array<{ itemIdentifier: string }> })
      .batchItemFailures;
    const member19 = event.Records.filter((r) => r.kinesis.partitionKey === 'member-19');
    expect(failed.map((f) => f.itemIdentifier).sort()).toEqual(
      member19.map((r) => r.kinesis.sequenceNumber).sort(),
    );
    expect(run.stderr).toContain('"message":"batch forwarded"');
  });

  it("sends what the receiver's settings ask for: a signed, gzipped batch of the records' data", async () => {
    // Arrange
    const event = sampleEvent('several-partition-keys.json');
    const secret = `whsec_${Buffer.from('a key for the invoke test').toString('base64')}`;

    // Act
    const run = await runInvoke(['events/several-partition-keys.json'], {
      FORWARD_URL: receiver.url,
      FORWARD_BODY: 'data',
      FORWARD_BATCH_MAX_RECORDS: '500',
      FORWARD_CONTENT_ENCODING: 'gzip',
      FORWARD_SIGNING_SECRET: secret,
      ...SILENT,
    });

    // Assert: every request a signed, gzipped JSON array of records' data; every record's data sent once.
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    const items = receiver.requests.flatMap((request) => {
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(request.headers['webhook-signature']).toMatch(/^v1,/);
      return JSON.parse(gunzipSync(request.raw).toString('utf8')) as unknown[];
    });
    const data = event.Records.map((record) =>
      JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString()),
    );
    expect(items).toHaveLength(data.length);
    expect(items).toEqual(expect.arrayContaining(data));
  });

  it('reports a function error the way Lambda does, with exit code 1', async () => {
    const run = await runInvoke(['events/not-kinesis.json'], { FORWARD_URL: receiver.url, ...SILENT });

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errorType: 'InvalidEventError',
      errorMessage: expect.stringContaining('got "aws:sqs" (an event from aws:sqs, not Kinesis)'),
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it('says the event file does not exist, with exit code 2 and nothing on stdout', async () => {
    const run = await runInvoke(['events/no-such-event.json'], { FORWARD_URL: receiver.url });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('invoke: event file events/no-such-event.json does not exist');
  });

  it('says the event file is not valid JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"Records": [{"kinesis": ');

    const run = await runInvoke([path], { FORWARD_URL: receiver.url });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`invoke: event file ${path} is not valid JSON`);
  });

  it('says clearly that FORWARD_URL must be set', async () => {
    const run = await runInvoke(['events/single-record.json']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('FORWARD_URL is required');
    expect(run.stderr).toContain('FORWARD_URL=http://127.0.0.1:8080/events npm run invoke --');
  });

  it('takes the environment from an --env-vars file in sam local format', async () => {
    const envFile = join(dir, 'env.json');
    await writeFile(envFile, JSON.stringify({ ForwarderFunction: { FORWARD_URL: receiver.url, ...SILENT } }));

    const run = await runInvoke(['--env-vars', envFile, 'events/tumbling-window.json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(sampleEvent('tumbling-window.json').Records.length);
  });

  it('prints the usage on --help and exits 0', async () => {
    const run = await runInvoke(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^usage: npm run invoke -- \[--timeout SECONDS\] \[--env-vars FILE\] EVENT_FILE\n/,
    );
    expect(run.stdout).toContain('-h, --help');
    expect(run.stderr).toBe('');
  });

  it('prints nothing of the function with POWERTOOLS_LOG_LEVEL=SILENT: no log line and no metrics', async () => {
    // Arrange: a failing record, so there is something to warn about and to count.
    receiver.respond = () => ({ status: 400 });

    // Act: metrics are not turned off by hand.
    const run = await runInvoke(['events/single-record.json'], {
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });

    // Assert
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).batchItemFailures).toHaveLength(1);
    expect(run.stderr).toBe('');
  });

  it('reports a cold start in its log line and as a ColdStart metric', async () => {
    const run = await runInvoke(['events/single-record.json'], {
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });

    expect(run.code).toBe(0);
    const lines = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.message === 'batch forwarded')).toMatchObject({ cold_start: true });
    expect(lines.filter((line) => 'ColdStart' in line)).toEqual([expect.objectContaining({ ColdStart: 1 })]);
  });

  it("runs with the repository's events/env.json: host.docker.internal, SAM's Docker name, is 127.0.0.1 here", async () => {
    // Arrange: the repository's file as it is, but for the port, which is the test receiver's.
    const samEnv = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'env.json'), 'utf8'));
    const url = new URL(samEnv.ForwarderFunction.FORWARD_URL);
    expect(url.hostname).toBe('host.docker.internal');
    url.port = new URL(receiver.url).port;
    samEnv.ForwarderFunction.FORWARD_URL = url.toString();
    const envFile = join(dir, 'env.json');
    await writeFile(envFile, JSON.stringify(samEnv));

    // Act
    const run = await runInvoke(['--env-vars', envFile, 'events/single-record.json']);

    // Assert: delivered to the receiver on 127.0.0.1, and said so once.
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(1);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('invoke:'))).toEqual([
      "invoke: FORWARD_URL names host.docker.internal, Docker's name for this machine; using 127.0.0.1 instead",
    ]);
  });

  it('gives the function the --timeout: a receiver that never answers fails the record before it', async () => {
    receiver.respond = () => ({ hang: true });
    const [record] = sampleEvent('single-record.json').Records;

    const run = await runInvoke(['--timeout', '3', 'events/single-record.json'], {
      FORWARD_URL: receiver.url,
      ...SILENT,
    });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      batchItemFailures: [{ itemIdentifier: record?.kinesis.sequenceNumber }],
    });
    // The function's deadline is the 3 s timeout less its 1 s margin; far less than the default 60 s.
    expect(run.elapsedMs).toBeLessThan(20_000);
  });
});
