import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKinesisClient } from '../../src/hosts/kinesis/client';
import { parseLocalConfig } from '../../src/hosts/local/config';
import { startLoopbackReceiver } from '../../src/hosts/loopback-receiver';
import { putRecords } from '../../src/hosts/put/records';
import { killGroup, type RunningScript, runScript, startScript } from '../helpers/cli';
import { temporaryDir } from '../helpers/local-stream';

/** Writes records to the stream of an `npm start` on `port`, in one request. */
const putTo = async (port: string, records: { partitionKey: string; data: string }[]) => {
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createKinesisClient(parseLocalConfig({ KINESIS_ENDPOINT: endpoint }), endpoint);
  try {
    await putRecords(client, 'local-events', records);
  } finally {
    client.destroy();
  }
};

/** Writes `count` records of random keys to the stream of an `npm start` on `port`. */
const putRandomKeys = (port: string, count: number) =>
  putTo(
    port,
    Array.from({ length: count }, (_, n) => ({ partitionKey: randomUUID(), data: JSON.stringify({ n }) })),
  );

/** Runs `npm start` with `env` for `use`, then kills whatever is left of it, whatever happened. */
const whileRunning = async (env: Record<string, string>, use: (start: RunningScript) => Promise<void>) => {
  const start = startScript('start', env);
  try {
    await use(start);
  } finally {
    killGroup(start.child, 'SIGKILL');
    await start.exited;
  }
};

/** The port of the embedded emulator of a running `npm start`, once it has started polling. */
const emulatorPort = async (start: RunningScript): Promise<string> => {
  const [, port] = await start.waitFor(/on the embedded Kinesis emulator at http:\/\/127\.0\.0\.1:(\d+)\n/);
  await start.waitFor(/Ctrl-C stops\.\n/);
  return port ?? '';
};

/** Waits until every shard of a running `npm start` has been retried `times` times. */
const waitForRetries = async (start: RunningScript, times: number) => {
  await start.waitFor(new RegExp(`shardId-000000000000: retry ${times} of`));
  await start.waitFor(new RegExp(`shardId-000000000001: retry ${times} of`));
};

describe('npm start (a child process, as a user runs it)', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const localSettings = () => ({
    KINESIS_PORT: '0',
    KINESIS_DATA_DIR: 'memory',
    CHECKPOINT_FILE: join(dir.path, 'checkpoints.json'),
    ON_FAILURE_FILE: join(dir.path, 'failed.jsonl'),
    POLL_INTERVAL_MS: '100',
  });

  beforeEach(async () => {
    dir = await temporaryDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('shows the whole flow with nothing set, and stops on SIGTERM with the checkpoints saved', async () => {
    const checkpointFile = join(dir.path, 'checkpoints.json');
    await whileRunning({ ...localSettings(), STATUS_INTERVAL_MS: '500' }, async (start) => {
      const [, port] = await start.waitFor(
        /on the embedded Kinesis emulator at http:\/\/127\.0\.0\.1:(\d+)\n/,
      );
      await start.waitFor(/Put records from another terminal:\n {2}KINESIS_PORT=\d+ npm run put -- /);

      // The printed put command, run from "another terminal".
      const put = await runScript('put', ['{"hello":"world"}', '--partition-key', 'user-1'], {
        KINESIS_PORT: port ?? '',
      });
      expect(put.code).toBe(0);
      const [, shardId, sequenceNumber] = put.stdout.match(/key=user-1 -> (shardId-\d+) (\d+)/) ?? [];

      await start.waitFor(new RegExp(`\\[receiver\\] ${shardId} key=user-1: \\{"hello":"world"\\}`));
      await start.waitFor(
        /\[status\] delivered 1, retried 0, held back 0, discarded 0, duplicates suppressed 0 \| concurrency \d+ \| behind: 0 \d+ms, 1 \d+ms, 2 \d+ms, 3 \d+ms/,
      );

      const signalledAt = Date.now();
      start.child.kill('SIGTERM');
      const finished = await start.exited;

      expect(finished.code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(start.output()).toContain(`[local] stopped; checkpoints saved to ${checkpointFile}`);
      const saved = JSON.parse(await readFile(checkpointFile, 'utf8'));
      expect(saved.shards[shardId ?? '']).toEqual({ start: 'TRIM_HORIZON', sequenceNumber });
    });
  }, 90_000);

  it('prints one readable line per cause when the receiver is down, not a JSON line per record', async () => {
    // Arrange: a port nothing listens on, and 150 records of 150 keys on 2 shards.
    const closed = await startLoopbackReceiver(() => ({ status: 200 }));
    const url = closed.url;
    await closed.close();
    await whileRunning(
      {
        ...localSettings(),
        STREAM_SHARDS: '2',
        BATCH_SIZE: '500',
        FORWARD_URL: url,
        FORWARD_MAX_ATTEMPTS: '1',
        RETRY_BACKOFF_BASE_MS: '200',
        RETRY_BACKOFF_MAX_MS: '200',
        STATUS_INTERVAL_MS: '0',
      },
      async (start) => {
        const port = await emulatorPort(start);

        // Act: the records go in, every shard fails twice, then a stop.
        await putRandomKeys(port, 150);
        await waitForRetries(start, 2);
        start.child.kill('SIGTERM');
        const finished = await start.exited;

        // Assert: no JSON line of the function; per failed invocation one line for its cause and one for the retry.
        expect(finished.code).toBe(0);
        const lines = start.output().trimEnd().split('\n');
        expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
        const causes = lines.filter((line) => line.includes(' not delivered to '));
        const retries = lines.filter((line) => / retry \d+ of \d+ records? in 200 ms( \(.*\))?$/.test(line));
        expect(causes.length).toBe(retries.length);
        expect(causes.length).toBeGreaterThanOrEqual(4);
        for (const line of causes) {
          expect(line).toMatch(
            new RegExp(
              `^\\[local\\] shardId-\\d+: \\d+ records? not delivered to ${url}: ECONNREFUSED: .{0,100}$`,
            ),
          );
        }
        // The first retry of each shard holds every record it got: 150 in all.
        const firstOfShard = new Map<string, number>();
        for (const line of retries) {
          const [, shardId, count] = line.match(/^\[local\] (shardId-\d+): retry \d+ of (\d+) record/) ?? [];
          if (shardId && !firstOfShard.has(shardId)) firstOfShard.set(shardId, Number(count));
        }
        expect([...firstOfShard.values()].reduce((a, b) => a + b, 0)).toBe(150);
        // The last status line: nothing delivered, the retries counted, both shards stuck on their batch.
        expect(lines.filter((line) => line.startsWith('[status]')).at(-1)).toMatch(
          /^\[status\] delivered 0, retried \d+, held back \d+, discarded 0, duplicates suppressed 0 \| concurrency \d+ \| behind: 0 [\d.]+m?s \(retrying \d+ records? for [\d.]+m?s\), 1 [\d.]+m?s \(retrying/,
        );
      },
    );
  }, 90_000);

  it("shows what the receiver's settings send: a signed, gzipped batch, one line per record", async () => {
    // Arrange: the embedded receiver, batches of up to 10 records, gzip and a signing secret.
    await whileRunning(
      {
        ...localSettings(),
        STREAM_SHARDS: '1',
        STATUS_INTERVAL_MS: '0',
        FORWARD_BATCH_MAX_RECORDS: '10',
        FORWARD_CONTENT_ENCODING: 'gzip',
        FORWARD_SIGNING_SECRET: `whsec_${Buffer.from('a key for the local test').toString('base64')}`,
      },
      async (start) => {
        const port = await emulatorPort(start);

        // Act: three records of one key, in one write.
        await putTo(
          port,
          [0, 1, 2].map((n) => ({ partitionKey: 'user-1', data: JSON.stringify({ n }) })),
        );
        await start.waitFor(/\[receiver\] {3}key=user-1: \{"n":2\}/);
        start.child.kill('SIGTERM');
        await start.exited;

        // Assert: batch lines, signed, and each record decoded from the gzipped body, in order.
        const lines = start.output().split('\n');
        expect(
          lines.filter((line) => /^\[receiver\] a batch of \d records? \(signed\):$/.test(line)).length,
        ).toBeGreaterThan(0);
        expect(lines.filter((line) => line.startsWith('[receiver]   '))).toEqual([
          '[receiver]   key=user-1: {"n":0}',
          '[receiver]   key=user-1: {"n":1}',
          '[receiver]   key=user-1: {"n":2}',
        ]);
      },
    );
  }, 90_000);

  it('reports a cold start on the first invocation, in its log line and as a ColdStart metric', async () => {
    // Arrange: the function's INFO lines and metrics on; the embedded receiver.
    await whileRunning(
      {
        ...localSettings(),
        STREAM_SHARDS: '1',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_DISABLED: 'false',
        STATUS_INTERVAL_MS: '0',
      },
      async (start) => {
        const port = await emulatorPort(start);

        // Act: one record, and once it is forwarded, another.
        await putRandomKeys(port, 1);
        await start.waitFor(/"message":"batch forwarded"/);
        await putRandomKeys(port, 1);
        await start.waitFor(/"message":"batch forwarded"[^\n]*\n(.*\n)*.*"message":"batch forwarded"/);
        start.child.kill('SIGTERM');
        await start.exited;

        // Assert
        const json = start
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const summaries = json.filter((line) => line.message === 'batch forwarded');
        expect(summaries.map((line) => line.cold_start)).toEqual([true, false]);
        expect(json.filter((line) => 'ColdStart' in line)).toEqual([
          expect.objectContaining({ ColdStart: 1 }),
        ]);
      },
    );
  }, 90_000);

  it('fails at once with a clear message for an invalid setting', async () => {
    const result = await runScript('start', [], { STARTING_POSITION: 'EARLIEST' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid configuration: STARTING_POSITION must be one of TRIM_HORIZON, LATEST, got "EARLIEST"',
    );
  }, 60_000);

  it('masks the credentials of an invalid FORWARD_URL in its message', async () => {
    const result = await runScript('start', [], { FORWARD_URL: 'ftp://alice:S3cretPw@host/x' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid configuration: FORWARD_URL must be an http(s) URL, got "ftp://[REDACTED]@host/x"',
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain('S3cretPw');
  }, 60_000);
});
