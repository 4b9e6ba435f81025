import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// LevelDB allows one process per folder; say so plainly instead of letting LevelDB crash the process.
const lockDataDir = async (dataDir: string): Promise<() => Promise<void>> => {
  const lock = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new Error(
        `The embedded emulator's data in ${dataDir} is in use by process ${owner} (another npm start?): stop it, or set KINESIS_DATA_DIR to another folder`,
      );
    }
    // Left behind by a process that is gone.
    await rm(lock, { force: true });
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
  let unlock = async () => {};
  if (persistent) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  const server = kinesalite({
    ...(persistent ? { path: dataDir } : {}),
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 100,
  });
  const listening = new Promise<void>((resolve, reject) => {
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
  try {
    await listening;
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    await unlock();
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    persistent,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }).finally(unlock),
  };
};
