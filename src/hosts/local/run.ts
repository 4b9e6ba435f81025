import { displayUrl } from '../../lib/display';
import { createInvoker, type StreamHandler } from '../invoker';
import { createKinesisClient, endpointOf } from '../kinesis/client';
import { startEmbeddedKinesis } from '../kinesis/embedded';
import { ensureStream } from '../kinesis/ensure-stream';
import { describeTarget, type LocalConfig } from './config';
import { startEventPrinter } from './console/event-printer';
import type { PollerStats } from './console/poller-stats';
import type { Printer } from './console/printer';
import { formatStatus } from './console/status-line';
import { checkForwarderConfig, handlerEnvironment } from './function-environment';
import { type StopReport, startStreamPoller } from './mapping/stream-poller';

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalRunDeps {
  /** The environment the local mode was started with. */
  readonly env: Env;
  readonly print: Printer;
  /** Loads the function with these variables added to its environment, as a Lambda cold start would. */
  readonly loadHandler: (added: Record<string, string>) => Promise<StreamHandler>;
  /** Least time between GetRecords calls on one shard (tests go faster than Kinesis allows). */
  readonly minGetRecordsIntervalMs?: number;
}

/** A running local mode. */
export interface LocalRun {
  readonly endpoint: string | undefined;
  /** The embedded receiver's URL, when it runs. */
  readonly receiverUrl: string | undefined;
  readonly stats: PollerStats;
  /** Rejects when the poller stopped on an error it cannot recover from; resolves after {@link stop}. */
  readonly done: Promise<void>;
  /** Stops polling, lets invocations in flight finish (within SHUTDOWN_TIMEOUT_MS), saves, closes everything. */
  stop(): Promise<StopReport>;
}

// The put command a user types in another terminal to reach this stream.
const putCommand = (config: LocalConfig, env: Env, endpoint: string | undefined): string => {
  const prefix: string[] = [];
  if (config.kinesis.kind === 'endpoint') prefix.push(`KINESIS_ENDPOINT=${config.kinesis.url}`);
  const port = endpoint === undefined ? '' : new URL(endpoint).port;
  if (config.kinesis.kind === 'embedded' && port !== '4567') prefix.push(`KINESIS_PORT=${port}`);
  if (env.STREAM_NAME?.trim()) prefix.push(`STREAM_NAME=${config.streamName}`);
  return [...prefix, 'npm run put'].join(' ');
};

/**
 * Starts the local stream mode: the embedded emulator and receiver when nothing else is configured, the
 * function loaded as on Lambda, and the poller feeding it every shard of the stream.
 *
 * @throws a ConfigError for invalid settings, or what stopped the emulator, stream or poller from starting.
 */
export const runLocal = async (config: LocalConfig, deps: LocalRunDeps): Promise<LocalRun> => {
  const { env, print } = deps;
  // Fail on the function's settings before opening any port.
  const placeholder = config.embeddedReceiver ? 'http://127.0.0.1/events' : undefined;
  const forwarder = checkForwarderConfig({ ...env, ...handlerEnvironment(env, config, placeholder) }, config);

  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    let endpoint = endpointOf(config);
    if (config.kinesis.kind === 'embedded') {
      const emulator = await startEmbeddedKinesis(config.kinesis.port, config.kinesis.dataDir);
      cleanups.push(() => emulator.close());
      endpoint = emulator.endpoint;
      if (config.kinesis.dataDir !== undefined && !emulator.persistent) {
        print.warn('[local] LevelDB (leveldown) is not installed: the embedded stream lives in memory only');
      }
    }
    const where = describeTarget(config, endpoint);
    const client = createKinesisClient(config, endpoint);
    cleanups.push(async () => client.destroy());
    const shards = config.kinesis.kind === 'aws' ? 1 : config.kinesis.shards;
    await ensureStream(
      client,
      config.streamName,
      { shards, create: config.kinesis.kind !== 'aws', where },
      print,
    );

    const receiver = config.embeddedReceiver
      ? await startEventPrinter(print, config.receiverPort)
      : undefined;
    if (receiver) cleanups.push(() => receiver.close());

    const handler = await deps.loadHandler(handlerEnvironment(env, config, receiver?.url));
    const receiverShown = receiver ? receiver.url : displayUrl(forwarder.url);
    const poller = await startStreamPoller({
      client,
      config,
      functionName: forwarder.serviceName,
      invoker: createInvoker(handler, config.concurrentInvocations),
      print,
      receiver: receiverShown,
      ...(deps.minGetRecordsIntervalMs === undefined
        ? {}
        : { minGetRecordsIntervalMs: deps.minGetRecordsIntervalMs }),
    });

    const put = putCommand(config, env, endpoint);
    print.info(
      [
        `kinesis-http-forwarder local mode: stream ${config.streamName} on ${where}`,
        `  forwarding to ${receiverShown}${receiver ? ' (embedded receiver, prints each event)' : ''}`,
        `  checkpoints in ${config.checkpointFile}, discarded records in ${config.onFailureFile}`,
        'Put records from another terminal:',
        `  ${put} -- '{"hello":"world"}' --partition-key user-1`,
        `  printf '%s\\n' '{"n":1}' '{"n":2}' | ${put}`,
        'Ctrl-C stops.',
      ].join('\n'),
    );
    const status =
      config.statusIntervalMs > 0
        ? setInterval(() => print.info(formatStatus(poller.stats)), config.statusIntervalMs)
        : undefined;

    let stopping: Promise<StopReport> | undefined;
    return {
      endpoint,
      receiverUrl: receiver?.url,
      stats: poller.stats,
      done: poller.done,
      stop: () => {
        stopping ??= (async () => {
          clearInterval(status);
          const report = await poller.stop(config.shutdownTimeoutMs);
          print.info(formatStatus(poller.stats));
          await closeAll();
          return report;
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
