import { parseConfig } from '../../src/config';
import { ConfigError } from '../../src/lib/env';

const URL_ONLY = { FORWARD_URL: 'https://receiver.example.com/events' };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(URL_ONLY);

    expect(config).toEqual({
      url: 'https://receiver.example.com/events',
      authToken: undefined,
      authSecretId: undefined,
      timeoutMs: 5000,
      concurrency: 10,
      maxAttempts: 3,
      ordering: 'partition-key',
      backoffBaseMs: 100,
      backoffMaxMs: 2000,
      breakerThreshold: 10,
      deadlineMarginMs: 1000,
      maxResponseBytes: 65536,
      logPayloads: false,
      metricsNamespace: 'KinesisHttpForwarder',
      serviceName: 'kinesis-http-forwarder',
      tracingEnabled: false,
      signingSecrets: [],
      signingSecretId: undefined,
      body: 'kinesis',
      dataContentType: 'application/octet-stream',
      headers: {},
      batchMaxRecords: 1,
      batchMaxBytes: 1_048_576,
      batchFormat: 'json',
      contentEncoding: 'identity',
      deaggregate: false,
      ledger: 'memory',
      ledgerTable: undefined,
      adaptiveConcurrency: true,
      maxRps: undefined,
    });
  });

  it('turns tracing on in Lambda unless POWERTOOLS_TRACE_ENABLED=false or under SAM local', () => {
    const lambda = { ...URL_ONLY, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };

    expect(parseConfig(lambda).tracingEnabled).toBe(true);
    expect(parseConfig({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' }).tracingEnabled).toBe(false);
    expect(parseConfig({ ...lambda, AWS_SAM_LOCAL: 'true' }).tracingEnabled).toBe(false);
    expect(parseConfig(URL_ONLY).tracingEnabled).toBe(false);
  });

  it('reads every setting', () => {
    const config = parseConfig({
      FORWARD_URL: 'http://127.0.0.1:8080/in',
      FORWARD_AUTH_TOKEN: 'Bearer abc',
      FORWARD_TIMEOUT_MS: '250',
      FORWARD_CONCURRENCY: '32',
      FORWARD_MAX_ATTEMPTS: '5',
      FORWARD_ORDERING: 'shard',
      FORWARD_BACKOFF_BASE_MS: '20',
      FORWARD_BACKOFF_MAX_MS: '400',
      FORWARD_BREAKER_THRESHOLD: '0',
      FORWARD_DEADLINE_MARGIN_MS: '700',
      FORWARD_MAX_RESPONSE_BYTES: '1024',
      FORWARD_LOG_PAYLOADS: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'Ns',
      POWERTOOLS_SERVICE_NAME: 'svc',
    });

    expect(config).toMatchObject({
      url: 'http://127.0.0.1:8080/in',
      authToken: 'Bearer abc',
      timeoutMs: 250,
      concurrency: 32,
      maxAttempts: 5,
      ordering: 'shard',
      backoffBaseMs: 20,
      backoffMaxMs: 400,
      breakerThreshold: 0,
      deadlineMarginMs: 700,
      maxResponseBytes: 1024,
      logPayloads: true,
      metricsNamespace: 'Ns',
      serviceName: 'svc',
    });
  });

  it('accepts LISTENER_ENDPOINT and LISTENER_AUTH_TOKEN as aliases', () => {
    const config = parseConfig({
      LISTENER_ENDPOINT: 'http://localhost:3000/events',
      LISTENER_AUTH_TOKEN: 'secret',
    });

    expect(config.url).toBe('http://localhost:3000/events');
    expect(config.authToken).toBe('secret');
  });

  it.each([
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf',
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:token',
    'forwarder/receiver-token',
  ])('takes FORWARD_AUTH_SECRET_ARN %s as the secret holding the token', (secretId) => {
    const config = parseConfig({ ...URL_ONLY, FORWARD_AUTH_SECRET_ARN: ` ${secretId} ` });

    expect(config.authSecretId).toBe(secretId);
    expect(config.authToken).toBeUndefined();
  });

  it('accepts an alias that repeats the primary value', () => {
    expect(parseConfig({ ...URL_ONLY, LISTENER_ENDPOINT: URL_ONLY.FORWARD_URL }).url).toBe(
      URL_ONLY.FORWARD_URL,
    );
  });

  it.each([
    [{}, 'FORWARD_URL is required'],
    [{ FORWARD_URL: '   ' }, 'FORWARD_URL is required'],
    [
      { FORWARD_URL: 'not a url' },
      'FORWARD_URL must be an http(s) URL, got a value that does not parse as a URL (not shown: it may hold credentials)',
    ],
    [{ FORWARD_URL: 'ftp://host/x' }, 'FORWARD_URL must be an http(s) URL, got "ftp://host/x"'],
    [{ ...URL_ONLY, LISTENER_ENDPOINT: 'http://other/' }, 'FORWARD_URL and LISTENER_ENDPOINT are both set'],
    [
      { ...URL_ONLY, FORWARD_TIMEOUT_MS: 'soon' },
      'FORWARD_TIMEOUT_MS must be a positive integer, got "soon"',
    ],
    [{ ...URL_ONLY, FORWARD_TIMEOUT_MS: '0' }, 'FORWARD_TIMEOUT_MS must be a positive integer, got "0"'],
    [{ ...URL_ONLY, FORWARD_TIMEOUT_MS: '1.5' }, 'FORWARD_TIMEOUT_MS must be a positive integer, got "1.5"'],
    [
      { ...URL_ONLY, FORWARD_CONCURRENCY: '-3' },
      'FORWARD_CONCURRENCY must be a positive integer between 1 and 1000',
    ],
    [
      { ...URL_ONLY, FORWARD_MAX_ATTEMPTS: '0' },
      'FORWARD_MAX_ATTEMPTS must be a positive integer between 1 and 100',
    ],
    [
      { ...URL_ONLY, FORWARD_ORDERING: 'key' },
      'FORWARD_ORDERING must be one of partition-key, shard, none, got "key"',
    ],
    [
      { ...URL_ONLY, FORWARD_BREAKER_THRESHOLD: 'x' },
      'FORWARD_BREAKER_THRESHOLD must be a non-negative integer',
    ],
    [
      { ...URL_ONLY, FORWARD_AUTH_TOKEN: 'Bearer a', FORWARD_AUTH_SECRET_ARN: 'forwarder/token' },
      'FORWARD_AUTH_TOKEN (or LISTENER_AUTH_TOKEN) and FORWARD_AUTH_SECRET_ARN are both set; set only one',
    ],
    [
      { ...URL_ONLY, LISTENER_AUTH_TOKEN: 'Bearer a', FORWARD_AUTH_SECRET_ARN: 'forwarder/token' },
      'FORWARD_AUTH_TOKEN (or LISTENER_AUTH_TOKEN) and FORWARD_AUTH_SECRET_ARN are both set; set only one',
    ],
    [
      { ...URL_ONLY, FORWARD_AUTH_SECRET_ARN: 'arn:aws:s3:::bucket/token' },
      'FORWARD_AUTH_SECRET_ARN must be a Secrets Manager secret ARN or name (up to 512 letters, digits and ' +
        '/_+=.@-), got a value of 25 characters that is neither (not shown: it may be the token)',
    ],
    [{ ...URL_ONLY, FORWARD_LOG_PAYLOADS: 'Yes' }, 'FORWARD_LOG_PAYLOADS must be true or false, got "Yes"'],
    [
      { ...URL_ONLY, FORWARD_BACKOFF_BASE_MS: '500', FORWARD_BACKOFF_MAX_MS: '100' },
      'FORWARD_BACKOFF_MAX_MS must be at least FORWARD_BACKOFF_BASE_MS (500), got "100"',
    ],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it.each(['0', '5', '200', '499', '60001', '900000'])(
    'refuses FORWARD_DEADLINE_MARGIN_MS=%s: too little to answer before the timeout, or too much to send',
    (margin) => {
      const env = { ...URL_ONLY, FORWARD_DEADLINE_MARGIN_MS: margin };

      expect(() => parseConfig(env)).toThrow(
        `FORWARD_DEADLINE_MARGIN_MS must be an integer between 500 and 60000, got "${margin}"`,
      );
    },
  );

  it.each([
    ['500', 500],
    ['60000', 60_000],
  ])('accepts FORWARD_DEADLINE_MARGIN_MS=%s', (margin, expected) => {
    expect(parseConfig({ ...URL_ONLY, FORWARD_DEADLINE_MARGIN_MS: margin }).deadlineMarginMs).toBe(expected);
  });

  it.each([
    ['FORWARD_URL', 'ftp://alice:S3cretPw@host/x', '"ftp://[REDACTED]@host/x"'],
    [
      'FORWARD_URL',
      'ws://receiver.example.com/in?apiKey=S3cretPw',
      '"ws://receiver.example.com/in?[REDACTED]"',
    ],
    ['FORWARD_URL', 'alice:S3cretPw@receiver.example.com', '"alice:[REDACTED]"'],
    ['FORWARD_URL', 'https://alice:S3cretPw@ho st/', 'a value that does not parse as a URL'],
    ['LISTENER_ENDPOINT', 'ftp://alice:S3cretPw@host/x', '"ftp://[REDACTED]@host/x"'],
  ])('masks the credentials in an invalid %s %s', (name, value, shown) => {
    expect(() => parseConfig({ [name]: value })).toThrow(`FORWARD_URL must be an http(s) URL, got ${shown}`);
    expect(() => parseConfig({ [name]: value })).not.toThrow(/S3cret/);
  });

  it('never echoes what was pasted into FORWARD_AUTH_SECRET_ARN', () => {
    const env = { ...URL_ONLY, FORWARD_AUTH_SECRET_ARN: 'Bearer S3cretToken' };

    expect(() => parseConfig(env)).toThrow(
      'FORWARD_AUTH_SECRET_ARN must be a Secrets Manager secret ARN or name',
    );
    expect(() => parseConfig(env)).not.toThrow(/S3cretToken/);
  });

  it('quotes at most 80 characters of an invalid value', () => {
    const env = { ...URL_ONLY, FORWARD_ORDERING: 'k'.repeat(200_000) };

    expect(() => parseConfig(env)).toThrow(
      `FORWARD_ORDERING must be one of partition-key, shard, none, got "${'k'.repeat(80)}..." (200000 characters)`,
    );
  });

  it.each([
    ['FORWARD_AUTH_TOKEN', 'Bearer S3cret\u2713', 'it contains a character that cannot be in an HTTP header'],
    ['FORWARD_AUTH_TOKEN', 'Bearer S3cret\nsecond-line', 'it contains a line break'],
    ['FORWARD_AUTH_TOKEN', 'Bearer S3cret\r\nX-Injected: 1', 'it contains a line break'],
    ['FORWARD_AUTH_TOKEN', 'Bearer S3cret\u0000', 'it contains a character that cannot be in an HTTP header'],
    [
      'LISTENER_AUTH_TOKEN',
      'Bearer S3cret\u2713',
      'it contains a character that cannot be in an HTTP header',
    ],
  ])('refuses a %s that cannot be an HTTP header value (%j), without showing it', (name, token, problem) => {
    const env = { ...URL_ONLY, [name]: token };

    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(`${name} cannot be sent as the Authorization header: ${problem}`);
    expect(() => parseConfig(env)).not.toThrow(/S3cret/);
  });

  it('takes a token with Latin-1 characters and tabs, which a header can carry', () => {
    expect(parseConfig({ ...URL_ONLY, FORWARD_AUTH_TOKEN: 'Bearer caf\u00e9\tx' }).authToken).toBe(
      'Bearer caf\u00e9\tx',
    );
  });

  it('reads the receiver-side settings', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const config = parseConfig({
      ...URL_ONLY,
      FORWARD_SIGNING_SECRET: ` ${secret}  ${secret} `,
      FORWARD_BODY: 'data',
      FORWARD_DATA_CONTENT_TYPE: 'text/plain; charset=utf-8',
      FORWARD_HEADERS: '{"X-Source": "kinesis"}',
      FORWARD_BATCH_MAX_RECORDS: '500',
      FORWARD_BATCH_MAX_BYTES: '262144',
      FORWARD_BATCH_FORMAT: 'ndjson',
      FORWARD_CONTENT_ENCODING: 'gzip',
      FORWARD_DEAGGREGATE: 'true',
    });

    expect(config).toMatchObject({
      signingSecrets: [secret, secret],
      body: 'data',
      dataContentType: 'text/plain; charset=utf-8',
      headers: { 'X-Source': 'kinesis' },
      batchMaxRecords: 500,
      batchMaxBytes: 262_144,
      batchFormat: 'ndjson',
      contentEncoding: 'gzip',
      deaggregate: true,
    });
  });

  it.each([
    [{ FORWARD_BODY: 'payload' }, 'FORWARD_BODY must be one of kinesis, data, record, got "payload"'],
    [
      { FORWARD_BATCH_MAX_RECORDS: '0' },
      'FORWARD_BATCH_MAX_RECORDS must be a positive integer between 1 and 10000',
    ],
    [
      { FORWARD_BATCH_MAX_BYTES: '100' },
      'FORWARD_BATCH_MAX_BYTES must be an integer between 1024 and 6291456',
    ],
    [{ FORWARD_BATCH_FORMAT: 'csv' }, 'FORWARD_BATCH_FORMAT must be one of json, ndjson, got "csv"'],
    [
      { FORWARD_CONTENT_ENCODING: 'br' },
      'FORWARD_CONTENT_ENCODING must be gzip or identity (none), got "br"',
    ],
    [{ FORWARD_DEAGGREGATE: 'yes' }, 'FORWARD_DEAGGREGATE must be true or false, got "yes"'],
    [{ FORWARD_DATA_CONTENT_TYPE: 'text' }, 'FORWARD_DATA_CONTENT_TYPE must be a media type'],
    [
      { FORWARD_HEADERS: 'X-Source: kinesis' },
      'FORWARD_HEADERS must be a JSON object of header names and values',
    ],
    [{ FORWARD_HEADERS: '["X-Source"]' }, 'FORWARD_HEADERS must be a JSON object of header names and values'],
    [{ FORWARD_HEADERS: '{"X Source": "a"}' }, 'FORWARD_HEADERS: "X Source" is not a valid header name'],
    [
      { FORWARD_HEADERS: '{"content-type": "text/plain"}' },
      'FORWARD_HEADERS: content-type is set by the forwarder itself',
    ],
    [
      { FORWARD_HEADERS: '{"Idempotency-Key": "x"}' },
      'FORWARD_HEADERS: Idempotency-Key is set by the forwarder itself',
    ],
    [
      { FORWARD_HEADERS: '{"Webhook-Id": "x"}' },
      'FORWARD_HEADERS: Webhook-Id is set by the forwarder itself',
    ],
    [
      { FORWARD_HEADERS: '{"Kinesis-Shard-Id": "x"}' },
      'FORWARD_HEADERS: Kinesis-Shard-Id is set by the forwarder itself',
    ],
    [{ FORWARD_HEADERS: '{"X-A": "1", "x-a": "2"}' }, 'FORWARD_HEADERS: x-a is given twice'],
    [{ FORWARD_HEADERS: '{"X-Count": 3}' }, 'FORWARD_HEADERS: the value of X-Count must be a string'],
    [
      { FORWARD_HEADERS: '{"X-Note": "a\\nb"}' },
      'FORWARD_HEADERS: the value of X-Note contains a line break',
    ],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => parseConfig({ ...URL_ONLY, ...env })).toThrow(ConfigError);
    expect(() => parseConfig({ ...URL_ONLY, ...env })).toThrow(message);
  });

  it.each([
    [
      'not a Standard Webhooks secret',
      's3cretvalue',
      'FORWARD_SIGNING_SECRET: it is not of the form whsec_<base64 key>',
    ],
    [
      'a key that is too short',
      'whsec_czNjcmV0',
      'FORWARD_SIGNING_SECRET: it holds a key of fewer than 24 bytes',
    ],
    [
      'a second secret that is not one',
      `whsec_${Buffer.alloc(32).toString('base64')} s3cretvalue`,
      'FORWARD_SIGNING_SECRET: secret 2 of 2 is not of the form whsec_<base64 key>',
    ],
  ])('refuses a FORWARD_SIGNING_SECRET with %s, without showing it', (_what, value, message) => {
    const env = { ...URL_ONLY, FORWARD_SIGNING_SECRET: value };

    expect(() => parseConfig(env)).toThrow(message);
    expect(() => parseConfig(env)).not.toThrow(/s3cret|czNjcmV0/);
  });

  it('refuses both FORWARD_SIGNING_SECRET and FORWARD_SIGNING_SECRET_ARN', () => {
    const env = {
      ...URL_ONLY,
      FORWARD_SIGNING_SECRET: `whsec_${Buffer.alloc(32).toString('base64')}`,
      FORWARD_SIGNING_SECRET_ARN: 'forwarder/signing',
    };

    expect(() => parseConfig(env)).toThrow(
      'FORWARD_SIGNING_SECRET and FORWARD_SIGNING_SECRET_ARN are both set',
    );
  });
});
