import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';

/** A kinesalite running in this process. */
export interface EmbeddedKinesis {
  readonly endpoint: string;
  /** False when the stream lives in memory only (no data folder, or LevelDB unavailable). */
  readonly persistent: boolean;
  close(): Promise<void>;
}

const leveldownAvailable = (): boolean => {
  try {
    require.resolve('leveldown');
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts kinesalite on 127.0.0.1:`port` (0 picks a free port). With `dataDir` the streams are kept there, so a
 * restart finds its stream and checkpoints again; without it they live in memory.
 *
 * @throws when the port is taken, with what to do about it.
 */
export const startEmbeddedKinesis = async (
  port: number,
  dataDir: string | undefined,
): Promise<EmbeddedKinesis> => {
  const persistent = dataDir !== undefined && leveldownAvailable();
  if (persistent) await mkdir(dataDir, { recursive: true });
  const server = kinesalite({
    ...(persistent ? { path: dataDir } : {}),
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 100,
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} is in use (another npm start?): set KINESIS_PORT to another port, or KINESIS_ENDPOINT=http://127.0.0.1:${port} to read the emulator already there`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    persistent,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
