import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScript, startScript } from '../helpers/cli';
import { temporaryDir } from '../helpers/local-stream';

describe('npm start (a child process, as a user runs it)', () => {
  let dir: { path: string; remove: () => Promise<void> };

  beforeEach(async () => {
    dir = await temporaryDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('shows the whole flow with nothing set, and stops on SIGTERM with the checkpoints saved', async () => {
    const checkpointFile = join(dir.path, 'checkpoints.json');
    const start = startScript('start', {
      KINESIS_PORT: '0',
      KINESIS_DATA_DIR: 'memory',
      CHECKPOINT_FILE: checkpointFile,
      ON_FAILURE_FILE: join(dir.path, 'failed.jsonl'),
      POLL_INTERVAL_MS: '100',
      STATUS_INTERVAL_MS: '500',
    });
    try {
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
        /\[status\] forwarded 1, failed 0, discarded 0 \| behind: 0 \d+ms, 1 \d+ms, 2 \d+ms, 3 \d+ms/,
      );

      const signalledAt = Date.now();
      start.child.kill('SIGTERM');
      const finished = await start.exited;

      expect(finished.code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(start.output()).toContain(`[local] stopped; checkpoints saved to ${checkpointFile}`);
      const saved = JSON.parse(await readFile(checkpointFile, 'utf8'));
      expect(saved.shards[shardId ?? '']).toEqual({ start: 'TRIM_HORIZON', sequenceNumber });
    } finally {
      if (start.child.exitCode === null) start.child.kill('SIGKILL');
      await start.exited;
    }
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
