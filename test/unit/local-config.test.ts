import { parseLocalConfig } from '../../src/hosts/local/config';
import { ConfigError } from '../../src/lib/env';

describe('parseLocalConfig', () => {
  it('defaults to the embedded emulator and receiver, so a fresh clone needs no settings', () => {
    const config = parseLocalConfig({});

    expect(config).toEqual({
      kinesis: { kind: 'embedded', port: 4567, shards: 4, dataDir: '.local/kinesalite' },
      region: 'us-east-1',
      awsCredentials: false,
      streamName: 'local-events',
      startingPosition: 'TRIM_HORIZON',
      batchSize: 100,
      pollIntervalMs: 1000,
      invocationTimeoutMs: 30_000,
      concurrentInvocations: 4,
      retry: { maxRetryAttempts: -1, maxRecordAgeSeconds: -1, backoffBaseMs: 1000, backoffMaxMs: 30_000 },
      checkpointFile: '.local/checkpoints/local-events.json',
      onFailureFile: '.local/failed/local-events.jsonl',
      statusIntervalMs: 10_000,
      shutdownTimeoutMs: 5000,
      embeddedReceiver: true,
      receiverPort: 0,
    });
  });

  it('reads every setting', () => {
    const config = parseLocalConfig({
      KINESIS_ENDPOINT: 'http://127.0.0.1:4568/',
      STREAM_SHARDS: '2',
      STREAM_NAME: 'rabblerouser_stream',
      AWS_REGION: 'eu-west-1',
      STARTING_POSITION: 'latest',
      BATCH_SIZE: '10',
      POLL_INTERVAL_MS: '50',
      INVOCATION_TIMEOUT_MS: '5000',
      CONCURRENT_INVOCATIONS: '2',
      MAX_RETRY_ATTEMPTS: '3',
      MAX_RECORD_AGE_SECONDS: '60',
      RETRY_BACKOFF_BASE_MS: '10',
      RETRY_BACKOFF_MAX_MS: '20',
      CHECKPOINT_FILE: '/tmp/cp.json',
      ON_FAILURE_FILE: '/tmp/failed.jsonl',
      STATUS_INTERVAL_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '100',
      RECEIVER_PORT: '8080',
      LISTENER_ENDPOINT: 'http://127.0.0.1:3000/events',
    });

    expect(config).toEqual({
      kinesis: { kind: 'endpoint', url: 'http://127.0.0.1:4568', shards: 2 },
      region: 'eu-west-1',
      awsCredentials: false,
      streamName: 'rabblerouser_stream',
      startingPosition: 'LATEST',
      batchSize: 10,
      pollIntervalMs: 50,
      invocationTimeoutMs: 5000,
      concurrentInvocations: 2,
      retry: { maxRetryAttempts: 3, maxRecordAgeSeconds: 60, backoffBaseMs: 10, backoffMaxMs: 20 },
      checkpointFile: '/tmp/cp.json',
      onFailureFile: '/tmp/failed.jsonl',
      statusIntervalMs: 0,
      shutdownTimeoutMs: 100,
      embeddedReceiver: false,
      receiverPort: 8080,
    });
  });

  it('reads real Kinesis when no endpoint is set but a stream and a region are, with the SDK credentials', () => {
    const config = parseLocalConfig({ STREAM_NAME: 'orders', AWS_DEFAULT_REGION: 'eu-central-1' });

    expect(config.kinesis).toEqual({ kind: 'aws' });
    expect(config.region).toBe('eu-central-1');
    expect(config.awsCredentials).toBe(true);
  });

  it('stays embedded with a region alone, or when KINESIS_ENDPOINT=embedded', () => {
    expect(parseLocalConfig({ AWS_REGION: 'eu-west-1' }).kinesis.kind).toBe('embedded');
    expect(
      parseLocalConfig({ KINESIS_ENDPOINT: 'embedded', STREAM_NAME: 's', AWS_REGION: 'eu-west-1' }).kinesis
        .kind,
    ).toBe('embedded');
  });

  it('keeps the embedded stream in memory with KINESIS_DATA_DIR=memory', () => {
    expect(parseLocalConfig({ KINESIS_DATA_DIR: 'memory', KINESIS_PORT: '0' }).kinesis).toEqual({
      kind: 'embedded',
      port: 0,
      shards: 4,
      dataDir: undefined,
    });
  });

  it('uses the SDK credentials for an endpoint only when the environment names some', () => {
    expect(parseLocalConfig({ KINESIS_ENDPOINT: 'http://h:1' }).awsCredentials).toBe(false);
    expect(parseLocalConfig({ KINESIS_ENDPOINT: 'http://h:1', AWS_PROFILE: 'dev' }).awsCredentials).toBe(
      true,
    );
  });

  it.each([
    [
      { KINESIS_ENDPOINT: 'localhost:4567' },
      'KINESIS_ENDPOINT must be an http(s) URL or "embedded", got "localhost:[REDACTED]"',
    ],
    [
      { KINESIS_ENDPOINT: 'ftp://key:S3cret@localstack:4566' },
      'KINESIS_ENDPOINT must be an http(s) URL or "embedded", got "ftp://[REDACTED]@localstack:4566/"',
    ],
    [
      { KINESIS_ENDPOINT: 'ftp://h/' },
      'KINESIS_ENDPOINT must be an http(s) URL or "embedded", got "ftp://h/"',
    ],
    [
      { STREAM_NAME: 'my stream' },
      'STREAM_NAME must be 1-128 letters, digits, "_", "." or "-", got "my stream"',
    ],
    [
      { STARTING_POSITION: 'AT_TIMESTAMP' },
      'STARTING_POSITION must be one of TRIM_HORIZON, LATEST, got "AT_TIMESTAMP"',
    ],
    [{ BATCH_SIZE: '0' }, 'BATCH_SIZE must be a positive integer between 1 and 10000, got "0"'],
    [{ BATCH_SIZE: 'lots' }, 'BATCH_SIZE must be a positive integer between 1 and 10000, got "lots"'],
    [
      { INVOCATION_TIMEOUT_MS: '500' },
      'INVOCATION_TIMEOUT_MS must be an integer between 1000 and 900000, got "500"',
    ],
    [
      { MAX_RETRY_ATTEMPTS: '-2' },
      'MAX_RETRY_ATTEMPTS must be -1 (no limit) or an integer between 0 and 10000, got "-2"',
    ],
    [
      { MAX_RECORD_AGE_SECONDS: '30' },
      'MAX_RECORD_AGE_SECONDS must be -1 (no limit) or an integer between 60 and 604800, got "30"',
    ],
    [
      { RETRY_BACKOFF_BASE_MS: '500', RETRY_BACKOFF_MAX_MS: '100' },
      'RETRY_BACKOFF_MAX_MS must be at least RETRY_BACKOFF_BASE_MS (500), got "100"',
    ],
    [{ STREAM_SHARDS: '0' }, 'STREAM_SHARDS must be a positive integer between 1 and 50, got "0"'],
    [
      { KINESIS_PORT: '70000' },
      'KINESIS_PORT must be a non-negative integer between 0 and 65535, got "70000"',
    ],
  ])('rejects %p with a message naming the variable', (env, message) => {
    expect(() => parseLocalConfig(env)).toThrow(new ConfigError(message));
  });
});
