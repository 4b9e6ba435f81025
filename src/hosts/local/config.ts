import { displayUrl, displayValue } from '../../lib/display';
import { ConfigError, type Env, integer, oneOf, parseHttpUrl, present } from '../../lib/env';
import type { RetryPolicy } from './mapping/event-source-mapping';

/** Where the stream lives. */
export type KinesisTarget =
  /** A kinesalite started in this process on 127.0.0.1. */
  | {
      readonly kind: 'embedded';
      readonly port: number;
      readonly shards: number;
      /** LevelDB folder that keeps the stream across restarts; undefined keeps it in memory. */
      readonly dataDir: string | undefined;
    }
  /** Any Kinesis-compatible endpoint (kinesalite, kinesis-mock, LocalStack). */
  | { readonly kind: 'endpoint'; readonly url: string; readonly shards: number }
  /** Real Kinesis: region and credentials from the AWS SDK's usual sources. */
  | { readonly kind: 'aws' };

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** Settings of the local stream mode (`npm start`, `npm run put`); the function's own come from `parseConfig`. */
export interface LocalConfig {
  readonly kinesis: KinesisTarget;
  readonly region: string;
  /** Use the SDK's credential chain; otherwise dummy credentials, which every emulator accepts. */
  readonly awsCredentials: boolean;
  readonly streamName: string;
  /** Where a shard without a checkpoint starts. */
  readonly startingPosition: StartingPosition;
  /** Most records per invocation. */
  readonly batchSize: number;
  /** Wait before polling a shard again after it had nothing new. */
  readonly pollIntervalMs: number;
  /** The Lambda-like timeout of one invocation. */
  readonly invocationTimeoutMs: number;
  /** Most invocations running at once across shards (Lambda runs one per shard); batches of a shard never overlap. */
  readonly concurrentInvocations: number;
  readonly retry: RetryPolicy;
  readonly checkpointFile: string;
  /** JSON lines file receiving discarded records (like an on-failure destination). */
  readonly onFailureFile: string;
  /** Period of the status line; 0 turns it off. */
  readonly statusIntervalMs: number;
  /** How long a shutdown waits for invocations in flight. */
  readonly shutdownTimeoutMs: number;
  /** Start a receiver that prints each event, because no `FORWARD_URL` (or `LISTENER_ENDPOINT`) is set. */
  readonly embeddedReceiver: boolean;
  readonly receiverPort: number;
}

// Lambda's shape for the two limits: -1 (none) or a bounded range.
const limit = (env: Env, name: string, min: number, max: number): number => {
  const raw = present(env, name);
  if (raw === undefined || raw === '-1') return -1;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be -1 (no limit) or an integer between ${min} and ${max}, got ${displayValue(raw)}`,
    );
  }
  return value;
};

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

const streamName = (env: Env): string => {
  const raw = present(env, 'STREAM_NAME') ?? 'local-events';
  if (!STREAM_NAME.test(raw)) {
    throw new ConfigError(
      `STREAM_NAME must be 1-128 letters, digits, "_", "." or "-", got ${displayValue(raw)}`,
    );
  }
  return raw;
};

const endpointUrl = (raw: string): string => {
  parseHttpUrl('KINESIS_ENDPOINT', raw, 'an http(s) URL or "embedded"');
  return raw.replace(/\/+$/, '');
};

const regionOf = (env: Env): string | undefined =>
  present(env, 'AWS_REGION') ?? present(env, 'AWS_DEFAULT_REGION');

// No endpoint: real Kinesis only when a stream and a region are named, so a fresh clone never reaches AWS.
const kinesisTarget = (env: Env): KinesisTarget => {
  const shards = integer(env, 'STREAM_SHARDS', 4, 1, 50);
  const raw = present(env, 'KINESIS_ENDPOINT');
  if (raw !== undefined && raw.toLowerCase() !== 'embedded')
    return { kind: 'endpoint', url: endpointUrl(raw), shards };
  if (raw === undefined && present(env, 'STREAM_NAME') !== undefined && regionOf(env) !== undefined) {
    return { kind: 'aws' };
  }
  const dataDir = present(env, 'KINESIS_DATA_DIR') ?? '.local/kinesalite';
  return {
    kind: 'embedded',
    port: integer(env, 'KINESIS_PORT', 4567, 0, 65535),
    shards,
    dataDir: dataDir.toLowerCase() === 'memory' ? undefined : dataDir,
  };
};

/**
 * Parses and validates the local mode's settings.
 *
 * @throws {ConfigError} naming the variable and what it expects, when a value is invalid.
 */
export const parseLocalConfig = (env: Env): LocalConfig => {
  const kinesis = kinesisTarget(env);
  const name = streamName(env);
  const backoffBaseMs = integer(env, 'RETRY_BACKOFF_BASE_MS', 1000, 1, 3_600_000);
  const backoffMaxMs = integer(env, 'RETRY_BACKOFF_MAX_MS', 30_000, 1, 3_600_000);
  if (backoffMaxMs < backoffBaseMs) {
    throw new ConfigError(
      `RETRY_BACKOFF_MAX_MS must be at least RETRY_BACKOFF_BASE_MS (${backoffBaseMs}), got "${backoffMaxMs}"`,
    );
  }
  const hasCredentials = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE'].some((variable) => present(env, variable));
  return {
    kinesis,
    region: regionOf(env) ?? 'us-east-1',
    awsCredentials: kinesis.kind === 'aws' || (kinesis.kind === 'endpoint' && hasCredentials),
    streamName: name,
    startingPosition: oneOf(env, 'STARTING_POSITION', ['TRIM_HORIZON', 'LATEST'] as const, 'TRIM_HORIZON', {
      ignoreCase: true,
    }),
    batchSize: integer(env, 'BATCH_SIZE', 100, 1, 10_000),
    pollIntervalMs: integer(env, 'POLL_INTERVAL_MS', 1000, 0, 300_000),
    invocationTimeoutMs: integer(env, 'INVOCATION_TIMEOUT_MS', 30_000, 1000, 900_000),
    concurrentInvocations: integer(env, 'CONCURRENT_INVOCATIONS', 4, 1, 100),
    retry: {
      maxRetryAttempts: limit(env, 'MAX_RETRY_ATTEMPTS', 0, 10_000),
      maxRecordAgeSeconds: limit(env, 'MAX_RECORD_AGE_SECONDS', 60, 604_800),
      backoffBaseMs,
      backoffMaxMs,
    },
    checkpointFile: present(env, 'CHECKPOINT_FILE') ?? `.local/checkpoints/${name}.json`,
    onFailureFile: present(env, 'ON_FAILURE_FILE') ?? `.local/failed/${name}.jsonl`,
    statusIntervalMs: integer(env, 'STATUS_INTERVAL_MS', 10_000, 0, 3_600_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 5000, 0, 60_000),
    embeddedReceiver:
      present(env, 'FORWARD_URL') === undefined && present(env, 'LISTENER_ENDPOINT') === undefined,
    receiverPort: integer(env, 'RECEIVER_PORT', 0, 0, 65535),
  };
};

/** A one-line description of where the stream is, for banners and errors. */
export const describeTarget = (config: LocalConfig, endpoint?: string): string => {
  switch (config.kinesis.kind) {
    case 'embedded':
      return `the embedded Kinesis emulator at ${endpoint ?? `http://127.0.0.1:${config.kinesis.port}`}`;
    case 'endpoint':
      return `the Kinesis endpoint ${displayUrl(config.kinesis.url)}`;
    case 'aws':
      return `Amazon Kinesis in ${config.region}`;
  }
};
