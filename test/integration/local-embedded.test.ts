import { join } from 'node:path';
import { createKinesisClient } from '../../src/hosts/kinesis/client';
import { startEmbeddedKinesis } from '../../src/hosts/kinesis/embedded';
import { ensureStream } from '../../src/hosts/kinesis/ensure-stream';
import { parseLocalConfig } from '../../src/hosts/local/config';
import { type LocalRun, runLocal } from '../../src/hosts/local/run';
import { putRecords } from '../../src/hosts/put/records';
import { ConfigError } from '../../src/lib/env';
import { loadHandler } from '../helpers/load-handler';
import { recordingPrinter, temporaryDir, waitFor } from '../helpers/local-stream';
import { startReceiver } from '../helpers/receiver';

describe('the embedded default (runLocal in this process)', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let runs: LocalRun[];

  const settings = () => ({
    KINESIS_PORT: '0',
    KINESIS_DATA_DIR: join(dir.path, 'kinesalite'),
    STREAM_SHARDS: '2',
    CHECKPOINT_FILE: join(dir.path, 'checkpoints.json'),
    ON_FAILURE_FILE: join(dir.path, 'failed.jsonl'),
    POLL_INTERVAL_MS: '50',
    STATUS_INTERVAL_MS: '0',
  });

  const start = async (env: Record<string, string>) => {
    const print = recordingPrinter();
    const run = await runLocal(parseLocalConfig(env), {
      env,
      print,
      loadHandler: async (added) => loadHandler({ ...env, ...added }),
      minGetRecordsIntervalMs: 20,
    });
    runs.push(run);
    return { run, print, received: () => print.lines.filter((line) => line.startsWith('[receiver]')) };
  };

  const put = async (run: LocalRun, payloads: unknown[]) => {
    const client = createKinesisClient(
      parseLocalConfig({ KINESIS_ENDPOINT: run.endpoint ?? '' }),
      run.endpoint,
    );
    try {
      return await putRecords(
        client,
        'local-events',
        payloads.map((payload, index) => ({ partitionKey: `k${index}`, data: JSON.stringify(payload) })),
      );
    } finally {
      client.destroy();
    }
  };

  const pollingAll = (run: LocalRun) =>
    run.stats.shards.size === 2 && [...run.stats.shards.values()].every((s) => s.millisBehind !== undefined);

  beforeEach(async () => {
    runs = [];
    dir = await temporaryDir();
  });
  afterEach(async () => {
    for (const run of runs) await run.stop();
    await dir.remove();
  });

  it('creates the stream, prints each event at the embedded receiver, and keeps both across a restart', async () => {
    const env = settings();
    const first = await start(env);
    expect(first.print.lines.join('\n')).toContain('[local] created stream local-events with 2 shards');
    expect(first.run.receiverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/);

    await put(first.run, [{ hello: 'world' }, { n: 2 }]);
    await waitFor('two printed events', () => first.received().length === 2);
    await first.run.stop();

    expect(first.received().sort()).toEqual([
      expect.stringMatching(/^\[receiver\] shardId-00000000000\d key=k0: \{"hello":"world"\}$/),
      expect.stringMatching(/^\[receiver\] shardId-00000000000\d key=k1: \{"n":2\}$/),
    ]);

    // The stream was kept on disk; the checkpoints still match it, so nothing is printed twice.
    const second = await start(env);
    await waitFor('both shards polled', () => pollingAll(second.run));
    await put(second.run, [{ after: 'restart' }]);
    await waitFor('the new event', () => second.received().length === 1);

    expect(second.print.lines.join('\n')).not.toContain('created stream');
    expect(second.received()).toEqual([expect.stringContaining('key=k0: {"after":"restart"}')]);
  });

  it('forwards to FORWARD_URL without starting a receiver', async () => {
    const receiver = await startReceiver();
    try {
      const { run, print } = await start({
        ...settings(),
        KINESIS_DATA_DIR: 'memory',
        FORWARD_URL: `${receiver.url}?token=s3cret`,
      });
      await put(run, [{ to: 'receiver' }]);
      await waitFor('the request', () => receiver.requests.length === 1);

      expect(run.receiverUrl).toBeUndefined();
      expect(receiver.requests[0]?.url).toBe('/events?token=s3cret');
      // The URL is shown without its query string, which may hold a secret.
      expect(print.lines.join('\n')).toContain(`forwarding to ${receiver.url}?[REDACTED]`);
      expect(print.lines.join('\n')).not.toContain('s3cret');
    } finally {
      for (const run of runs.splice(0)) await run.stop();
      await receiver.close();
    }
  });

  it('refuses the function settings before opening any port', async () => {
    const env = { ...settings(), KINESIS_PORT: '4567', FORWARD_CONCURRENCY: '0' };

    await expect(start(env)).rejects.toThrow(ConfigError);
    await expect(start(env)).rejects.toThrow('FORWARD_CONCURRENCY');
  });

  it('refuses a data folder another emulator is using, instead of letting LevelDB crash', async () => {
    const dataDir = join(dir.path, 'shared');
    const first = await startEmbeddedKinesis(0, dataDir);

    await expect(startEmbeddedKinesis(0, dataDir)).rejects.toThrow(
      `The embedded emulator's data in ${dataDir} is in use by process ${process.pid}`,
    );
    await first.close();
    const again = await startEmbeddedKinesis(0, dataDir);
    await again.close();

    expect(again.persistent).toBe(true);
  });

  it('waits for an emulator that is still starting, then creates the stream', async () => {
    const probe = await startEmbeddedKinesis(0, undefined);
    const endpoint = probe.endpoint;
    await probe.close();
    const client = createKinesisClient(parseLocalConfig({ KINESIS_ENDPOINT: endpoint }), endpoint);
    const print = recordingPrinter();
    try {
      const ready = ensureStream(client, 'late', { shards: 1, create: true, where: endpoint }, print);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const emulator = await startEmbeddedKinesis(Number(new URL(endpoint).port), undefined);
      try {
        await ready;
      } finally {
        await emulator.close();
      }

      expect(print.lines[0]).toMatch(new RegExp(`^\\[local\\] waiting for ${endpoint} \\(.*ECONNREFUSED`));
      expect(print.lines).toContain(`[local] created stream late with 1 shards on ${endpoint}`);
    } finally {
      client.destroy();
    }
  });
});
