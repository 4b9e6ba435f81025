// `npm start`: the forwarding function fed by a Kinesis stream, like Lambda's event source mapping would.
import { ConfigError } from '../../lib/env';
import { loadFunction } from '../load-function';
import { parseLocalConfig } from './config';
import { consolePrinter as print } from './console/printer';
import { runLocal } from './run';

const main = async () => {
  // The only place this entry reads the environment; the function reads its own when it loads.
  const env = { ...process.env };
  const config = parseLocalConfig(env);
  const run = await runLocal(config, {
    env,
    print,
    loadHandler: loadFunction,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      print.warn(`[local] ${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    print.info(`[local] ${signal}: stopping (up to ${config.shutdownTimeoutMs} ms for batches in flight)`);
    const { abandoned } = await run.stop();
    if (abandoned.length > 0) {
      print.warn(
        `[local] batches in flight on ${abandoned.join(', ')} did not finish; they are read again next time`,
      );
    }
    print.info(`[local] stopped; checkpoints saved to ${config.checkpointFile}`);
    process.exit(0);
  };
  const onSignal = (signal: string) =>
    shutdown(signal).catch((error: unknown) => {
      print.warn(`[local] stopping failed: ${String(error)}`);
      process.exit(1);
    });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await run.done;
  } catch (error) {
    await run.stop();
    throw error;
  }
};

main().catch((error: unknown) => {
  print.warn(error instanceof ConfigError ? `Invalid configuration: ${error.message}` : String(error));
  process.exit(1);
});
