import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/hosts/kinesis/client';
import { parseLocalConfig } from '../../src/hosts/local/config';

const PACKAGE = dirname(require.resolve('kinesis-local/package.json'));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** kinesis-mock (the npm package kinesis-local, the engine LocalStack uses) as a separate process. */
export interface KinesisMock {
  readonly endpoint: string;
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    // It has been seen ignoring SIGTERM after heavy use: SIGKILL after a moment.
    const fallback = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Starts kinesis-mock on loopback ports with `streamName` (`shards` shards) and waits until it answers. */
export const startKinesisMock = async (streamName: string, shards: number): Promise<KinesisMock> => {
  const plainPort = await freePort();
  const tlsPort = await freePort();
  const child = spawn(process.execPath, [join(PACKAGE, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      KINESIS_MOCK_CERT_PATH: join(PACKAGE, 'server.json'),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      CREATE_STREAM_DURATION: '0ms',
      INITIALIZE_STREAMS: `${streamName}:${shards}`,
      AWS_REGION: 'us-east-1',
    },
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${plainPort}`;
  const client = createKinesisClient(parseLocalConfig({ KINESIS_ENDPOINT: endpoint }), endpoint);
  const deadline = Date.now() + 45_000;
  for (;;) {
    try {
      const { StreamDescriptionSummary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        client.destroy();
        await stopProcess(child);
        throw new Error(`kinesis-mock did not start: ${(error as Error).message}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await stopProcess(child);
    },
  };
};
