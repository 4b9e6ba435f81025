import { join } from 'node:path';
import { parseLocalConfig } from '../../src/hosts/local/config';
import { type LocalRun, runLocal } from '../../src/hosts/local/run';
import { putRecords } from '../../src/hosts/put/records';
import { type KinesisMock, startKinesisMock } from '../helpers/kinesis-mock';
import { loadHandler } from '../helpers/load-handler';
import { recordingPrinter, temporaryDir, waitFor } from '../helpers/local-stream';
import { startReceiver, type TestReceiver } from '../helpers/receiver';
import { decodePayload } from '../helpers/records';

// The issue's own check: an emulator the local mode did not choose, named by the four variables.
describe('local mode against kinesis-mock (kinesis-local), a separate emulator process', () => {
  let mock: KinesisMock;
  let receiver: TestReceiver;
  let dir: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    mock = await startKinesisMock('orders', 3);
  }, 60_000);
  afterAll(async () => {
    await mock.stop();
  }, 30_000);
  beforeEach(async () => {
    dir = await temporaryDir();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await dir.remove();
  });

  const start = async () => {
    const env = {
      KINESIS_ENDPOINT: mock.endpoint,
      STREAM_NAME: 'orders',
      FORWARD_URL: receiver.url,
      STARTING_POSITION: 'TRIM_HORIZON',
      CHECKPOINT_FILE: join(dir.path, 'checkpoints.json'),
      POLL_INTERVAL_MS: '100',
      STATUS_INTERVAL_MS: '0',
    };
    return runLocal(parseLocalConfig(env), {
      env,
      print: recordingPrinter(),
      loadHandler: async (added) => loadHandler({ ...env, ...added }),
    });
  };

  const put = (from: number, count: number) =>
    putRecords(
      mock.client,
      'orders',
      Array.from({ length: count }, (_, offset) => {
        const index = from + offset;
        return { partitionKey: `key-${index % 6}`, data: JSON.stringify({ key: `key-${index % 6}`, index }) };
      }),
    );

  const payloads = () =>
    receiver.requests.map((r) => decodePayload(r.body) as { key: string; index: number });

  it('forwards every shard in key order, and a restart resumes without replaying', async () => {
    let run: LocalRun | undefined = await start();
    try {
      const written = await put(0, 30);
      await waitFor('30 deliveries', () => receiver.requests.length >= 30, 30_000);
      await run.stop();

      expect(new Set(written.map((w) => w.shardId)).size).toBe(3);
      expect(
        payloads()
          .map((p) => p.index)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 30 }, (_, i) => i));
      for (let key = 0; key < 6; key += 1) {
        const order = payloads()
          .filter((p) => p.key === `key-${key}`)
          .map((p) => p.index);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }

      run = await start();
      await put(30, 5);
      await waitFor('5 more deliveries', () => receiver.requests.length >= 35, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await run.stop();
      run = undefined;

      expect(
        payloads()
          .slice(30)
          .map((p) => p.index)
          .sort(),
      ).toEqual([30, 31, 32, 33, 34]);
      expect(receiver.requests).toHaveLength(35);
    } finally {
      await run?.stop();
    }
  }, 90_000);
});
