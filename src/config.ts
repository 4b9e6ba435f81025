import { displayValue } from './lib/display';
import { boolean, ConfigError, type Env, integer, oneOf, parseHttpUrl, present } from './lib/env';
import { isObject } from './lib/guards';
import { headerValueProblem } from './lib/header-value';

/** How records of one batch are ordered while they are forwarded. */
export type OrderingMode = 'partition-key' | 'shard' | 'none';

export const ORDERING_MODES: readonly OrderingMode[] = ['partition-key', 'shard', 'none'];

/** What a request's body holds for each record. */
export type BodyMode = 'kinesis' | 'data' | 'record';

export const BODY_MODES: readonly BodyMode[] = ['kinesis', 'data', 'record'];

/** How the records of one request are put together when a request holds several. */
export type BatchFormat = 'json' | 'ndjson';

export const BATCH_FORMATS: readonly BatchFormat[] = ['json', 'ndjson'];

export type ContentEncoding = 'identity' | 'gzip';

/** Where the delivery ledger keeps what was delivered of a batch that Lambda will send again. */
export type LedgerMode = 'memory' | 'dynamodb' | 'off';

export const LEDGER_MODES: readonly LedgerMode[] = ['memory', 'dynamodb', 'off'];

/**
 * Headers the forwarder sets itself (or that belong to the connection): FORWARD_HEADERS may not set them. Names
 * starting with `kinesis-` or `webhook-` are the forwarder's too.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'host',
  'idempotency-key',
  'transfer-encoding',
  'user-agent',
]);
const RESERVED_PREFIXES = ['kinesis-', 'webhook-'];

/** The forwarder's configuration, parsed once per container. */
export interface Config {
  /** Endpoint every record is POSTed to. */
  readonly url: string;
  /** Sent verbatim as the `Authorization` header when set. */
  readonly authToken: string | undefined;
  /** Secrets Manager secret (ARN or name) holding the `Authorization` value; excludes {@link authToken}. */
  readonly authSecretId: string | undefined;
  /** Timeout of one HTTP attempt. */
  readonly timeoutMs: number;
  /** Most requests in flight at once. */
  readonly concurrency: number;
  /** Attempts per record within one invocation. */
  readonly maxAttempts: number;
  readonly ordering: OrderingMode;
  /** First retry delay; doubles per attempt, with jitter. */
  readonly backoffBaseMs: number;
  /** Upper bound of one retry delay. */
  readonly backoffMaxMs: number;
  /** Consecutive transient failures after which the invocation stops sending; 0 disables. */
  readonly breakerThreshold: number;
  /** Time kept free before the Lambda timeout to build the response and flush logs and metrics. */
  readonly deadlineMarginMs: number;
  /** Most bytes read from one response body; the rest is discarded with the connection. */
  readonly maxResponseBytes: number;
  /** Include record payloads (`kinesis.data`) in debug input logging. */
  readonly logPayloads: boolean;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  /** Powertools Tracer's own rule: on in Lambda (not SAM local) unless POWERTOOLS_TRACE_ENABLED=false. */
  readonly tracingEnabled: boolean;
  /** Standard Webhooks secrets (`whsec_...`) every request is signed with, one signature each. */
  readonly signingSecrets: readonly string[];
  /** Secrets Manager secret (ARN or name) holding the signing secrets; excludes {@link signingSecrets}. */
  readonly signingSecretId: string | undefined;
  readonly body: BodyMode;
  /** Content type of a `data` body that is not JSON. */
  readonly dataContentType: string;
  /** Static headers added to every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Most records in one request; 1 sends each record on its own. */
  readonly batchMaxRecords: number;
  /** Most bytes in one request's body (before compression); a larger record goes alone. */
  readonly batchMaxBytes: number;
  readonly batchFormat: BatchFormat;
  readonly contentEncoding: ContentEncoding;
  /** Forward each user record of a KPL aggregate on its own. */
  readonly deaggregate: boolean;
  readonly ledger: LedgerMode;
  /** DynamoDB table of the ledger (`ledger: 'dynamodb'`). */
  readonly ledgerTable: string | undefined;
  /** Adapt the requests in flight to the receiver, up to {@link concurrency}; otherwise exactly that many. */
  readonly adaptiveConcurrency: boolean;
  /** Most requests started per second by this container; undefined for no cap. */
  readonly maxRps: number | undefined;
}

// A primary name and the original forwarder's alias must not disagree.
const aliased = (env: Env, name: string, alias: string): string | undefined => {
  const primary = present(env, name);
  const legacy = present(env, alias);
  if (primary !== undefined && legacy !== undefined && primary !== legacy) {
    throw new ConfigError(`${name} and ${alias} are both set to different values; set only one`);
  }
  return primary ?? legacy;
};

const httpUrl = (env: Env, name: string, alias: string): string => {
  const raw = aliased(env, name, alias);
  if (raw === undefined) {
    throw new ConfigError(`${name} is required: the http(s) URL every record is POSTed to (or set ${alias})`);
  }
  return parseHttpUrl(name, raw).toString();
};

const tracingEnabled = (env: Env): boolean => {
  const runtime = present(env, 'AWS_EXECUTION_ENV');
  return (
    present(env, 'POWERTOOLS_TRACE_ENABLED')?.toLowerCase() !== 'false' &&
    runtime !== undefined &&
    runtime !== 'AWS_Lambda_amplify-mock' &&
    present(env, 'AWS_SAM_LOCAL') === undefined
  );
};

// A secret's full or partial ARN, or its name (Secrets Manager allows letters, digits and /_+=.@-).
const SECRET_ID = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/;

const auth = (env: Env): Pick<Config, 'authToken' | 'authSecretId'> => {
  const authToken = aliased(env, 'FORWARD_AUTH_TOKEN', 'LISTENER_AUTH_TOKEN');
  const authSecretId = present(env, 'FORWARD_AUTH_SECRET_ARN');
  const problem = authToken === undefined ? undefined : headerValueProblem(authToken);
  if (problem !== undefined) {
    const name =
      present(env, 'FORWARD_AUTH_TOKEN') === undefined ? 'LISTENER_AUTH_TOKEN' : 'FORWARD_AUTH_TOKEN';
    throw new ConfigError(
      `${name} cannot be sent as the Authorization header: ${problem}; the token itself is not shown`,
    );
  }
  if (authSecretId === undefined) return { authToken, authSecretId };
  if (authToken !== undefined) {
    throw new ConfigError(
      'FORWARD_AUTH_TOKEN (or LISTENER_AUTH_TOKEN) and FORWARD_AUTH_SECRET_ARN are both set; set only one: ' +
        'the token itself, or the secret that holds it',
    );
  }
  if (!SECRET_ID.test(authSecretId)) {
    // Not echoed: what lands here by mistake is often the token itself.
    throw new ConfigError(
      'FORWARD_AUTH_SECRET_ARN must be a Secrets Manager secret ARN or name (up to 512 letters, digits and ' +
        `/_+=.@-), got a value of ${authSecretId.length} characters that is neither (not shown: it may be the token)`,
    );
  }
  return { authToken, authSecretId };
};

// Standard Webhooks: `whsec_` and the base64 key; keys shorter than 24 bytes are refused as too weak.
const SIGNING_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const MIN_SIGNING_KEY_BYTES = 24;

/**
 * The problem with a list of Standard Webhooks secrets (space-separated `whsec_...`), undefined when there is none.
 * Never quotes a secret: it names its position.
 */
export const signingSecretsProblem = (secrets: readonly string[]): string | undefined => {
  if (secrets.length === 0) return 'it holds no secret';
  for (const [index, secret] of secrets.entries()) {
    const base64 = SIGNING_SECRET.exec(secret)?.[1];
    const position = secrets.length === 1 ? 'it' : `secret ${index + 1} of ${secrets.length}`;
    if (base64 === undefined || base64.length % 4 !== 0) {
      return `${position} is not of the form whsec_<base64 key>`;
    }
    if (Buffer.from(base64, 'base64').length < MIN_SIGNING_KEY_BYTES) {
      return `${position} holds a key of fewer than ${MIN_SIGNING_KEY_BYTES} bytes`;
    }
  }
  return undefined;
};

const signing = (env: Env): Pick<Config, 'signingSecrets' | 'signingSecretId'> => {
  const raw = present(env, 'FORWARD_SIGNING_SECRET');
  const signingSecretId = present(env, 'FORWARD_SIGNING_SECRET_ARN');
  if (raw !== undefined && signingSecretId !== undefined) {
    throw new ConfigError(
      'FORWARD_SIGNING_SECRET and FORWARD_SIGNING_SECRET_ARN are both set; set only one: the secrets themselves, ' +
        'or the Secrets Manager secret that holds them',
    );
  }
  if (signingSecretId !== undefined && !SECRET_ID.test(signingSecretId)) {
    throw new ConfigError(
      'FORWARD_SIGNING_SECRET_ARN must be a Secrets Manager secret ARN or name, got a value of ' +
        `${signingSecretId.length} characters that is neither (not shown: it may be the secret)`,
    );
  }
  const signingSecrets = raw === undefined ? [] : raw.split(/\s+/);
  const problem = raw === undefined ? undefined : signingSecretsProblem(signingSecrets);
  if (problem !== undefined) {
    throw new ConfigError(`FORWARD_SIGNING_SECRET: ${problem}; the secrets themselves are not shown`);
  }
  return { signingSecrets, signingSecretId };
};

// A media type, as a Content-Type header carries it: type/subtype and optional parameters.
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"]*"|[\w.+-]+))*$/;

const mediaType = (env: Env, name: string, fallback: string): string => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!MEDIA_TYPE.test(raw)) {
    throw new ConfigError(
      `${name} must be a media type such as text/plain; charset=utf-8, got ${displayValue(raw)}`,
    );
  }
  return raw;
};

const staticHeaders = (env: Env): Readonly<Record<string, string>> => {
  const raw = present(env, 'FORWARD_HEADERS');
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'FORWARD_HEADERS must be a JSON object of header names and values, got text that is not JSON',
    );
  }
  if (!isObject(parsed)) {
    throw new ConfigError(
      'FORWARD_HEADERS must be a JSON object of header names and values, e.g. {"X-Source": "kinesis"}',
    );
  }
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(parsed)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(`FORWARD_HEADERS: ${displayValue(name)} is not a valid header name`);
    }
    if (RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      throw new ConfigError(
        `FORWARD_HEADERS: ${name} is set by the forwarder itself and cannot be given here`,
      );
    }
    if (seen.has(lower))
      throw new ConfigError(`FORWARD_HEADERS: ${name} is given twice (header names ignore case)`);
    seen.add(lower);
    if (typeof value !== 'string') {
      throw new ConfigError(`FORWARD_HEADERS: the value of ${name} must be a string`);
    }
    // Values are not quoted: a static header may well carry a key.
    const problem = headerValueProblem(value);
    if (problem !== undefined)
      throw new ConfigError(`FORWARD_HEADERS: the value of ${name} ${problem.replace(/^it /, '')}`);
    headers[name] = value;
  }
  return headers;
};

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const contentEncoding = (env: Env): ContentEncoding => {
  const raw = present(env, 'FORWARD_CONTENT_ENCODING');
  if (raw === undefined || raw.toLowerCase() === 'identity' || raw.toLowerCase() === 'none')
    return 'identity';
  if (raw.toLowerCase() === 'gzip') return 'gzip';
  throw new ConfigError(`FORWARD_CONTENT_ENCODING must be gzip or identity (none), got ${displayValue(raw)}`);
};

// DynamoDB table names: 3-255 letters, digits, "_", "-", "."; or a table ARN.
const TABLE = /^(arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/)?[\w.-]{3,255}$/;

const ledger = (env: Env): Pick<Config, 'ledger' | 'ledgerTable'> => {
  const mode = oneOf(env, 'FORWARD_LEDGER', LEDGER_MODES, 'memory');
  const ledgerTable = present(env, 'FORWARD_LEDGER_TABLE');
  if (mode === 'dynamodb' && ledgerTable === undefined) {
    throw new ConfigError(
      'FORWARD_LEDGER=dynamodb needs FORWARD_LEDGER_TABLE: the DynamoDB table (name or ARN)',
    );
  }
  if (mode !== 'dynamodb' && ledgerTable !== undefined) {
    throw new ConfigError(
      `FORWARD_LEDGER_TABLE is set but FORWARD_LEDGER is ${mode}: set FORWARD_LEDGER=dynamodb`,
    );
  }
  if (ledgerTable !== undefined && !TABLE.test(ledgerTable)) {
    throw new ConfigError(
      `FORWARD_LEDGER_TABLE must be a DynamoDB table name or ARN, got ${displayValue(ledgerTable)}`,
    );
  }
  return { ledger: mode, ledgerTable };
};

const maxRps = (env: Env): number | undefined => {
  const raw = present(env, 'FORWARD_MAX_RPS');
  if (raw === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0 && value <= 100_000)) {
    throw new ConfigError(
      `FORWARD_MAX_RPS must be a number of requests per second above 0 (at most 100000), got ${displayValue(raw)}`,
    );
  }
  return value;
};

const MAX = Number.MAX_SAFE_INTEGER;
/** Lambda's largest event is 6 MB; a request may hold no more than the whole batch. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

/**
 * Least margin: settling a 10,000-record batch whose every record is still waiting, and answering, must fit in it
 * before Middy's own timeout, also with the third of a vCPU Lambda gives 512 MB.
 */
export const MIN_DEADLINE_MARGIN_MS = 500;
/** Most margin: more would leave a function with Lambda's usual timeouts no time to send anything. */
export const MAX_DEADLINE_MARGIN_MS = 60_000;

const deadlineMargin = (env: Env): number => {
  const raw = present(env, 'FORWARD_DEADLINE_MARGIN_MS');
  if (raw === undefined) return 1000;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= MIN_DEADLINE_MARGIN_MS && value <= MAX_DEADLINE_MARGIN_MS)) {
    throw new ConfigError(
      `FORWARD_DEADLINE_MARGIN_MS must be an integer between ${MIN_DEADLINE_MARGIN_MS} and ${MAX_DEADLINE_MARGIN_MS}, got ${displayValue(raw)}: ` +
        'less leaves no time to report the batch before the Lambda timeout, more leaves no time to send',
    );
  }
  return value;
};

/**
 * Parses and validates the forwarder's settings.
 *
 * @throws {ConfigError} naming the variable and what it expects, when a value is missing or invalid.
 */
export const parseConfig = (env: Env): Config => {
  const backoffBaseMs = integer(env, 'FORWARD_BACKOFF_BASE_MS', 100, 1, MAX);
  const backoffMaxMs = integer(env, 'FORWARD_BACKOFF_MAX_MS', 2000, 1, MAX);
  if (backoffMaxMs < backoffBaseMs) {
    throw new ConfigError(
      `FORWARD_BACKOFF_MAX_MS must be at least FORWARD_BACKOFF_BASE_MS (${backoffBaseMs}), got "${backoffMaxMs}"`,
    );
  }
  return {
    url: httpUrl(env, 'FORWARD_URL', 'LISTENER_ENDPOINT'),
    ...auth(env),
    timeoutMs: integer(env, 'FORWARD_TIMEOUT_MS', 5000, 1, MAX),
    concurrency: integer(env, 'FORWARD_CONCURRENCY', 10, 1, 1000),
    maxAttempts: integer(env, 'FORWARD_MAX_ATTEMPTS', 3, 1, 100),
    ordering: oneOf(env, 'FORWARD_ORDERING', ORDERING_MODES, 'partition-key'),
    backoffBaseMs,
    backoffMaxMs,
    breakerThreshold: integer(env, 'FORWARD_BREAKER_THRESHOLD', 10, 0, MAX),
    deadlineMarginMs: deadlineMargin(env),
    maxResponseBytes: integer(env, 'FORWARD_MAX_RESPONSE_BYTES', 65536, 0, MAX),
    logPayloads: boolean(env, 'FORWARD_LOG_PAYLOADS', false),
    metricsNamespace: present(env, 'POWERTOOLS_METRICS_NAMESPACE') ?? 'KinesisHttpForwarder',
    serviceName: present(env, 'POWERTOOLS_SERVICE_NAME') ?? 'kinesis-http-forwarder',
    tracingEnabled: tracingEnabled(env),
    ...signing(env),
    body: oneOf(env, 'FORWARD_BODY', BODY_MODES, 'kinesis'),
    dataContentType: mediaType(env, 'FORWARD_DATA_CONTENT_TYPE', 'application/octet-stream'),
    headers: staticHeaders(env),
    batchMaxRecords: integer(env, 'FORWARD_BATCH_MAX_RECORDS', 1, 1, 10_000),
    batchMaxBytes: integer(env, 'FORWARD_BATCH_MAX_BYTES', 1024 * 1024, 1024, MAX_BATCH_BYTES),
    batchFormat: oneOf(env, 'FORWARD_BATCH_FORMAT', BATCH_FORMATS, 'json'),
    contentEncoding: contentEncoding(env),
    deaggregate: boolean(env, 'FORWARD_DEAGGREGATE', false),
    ...ledger(env),
    adaptiveConcurrency: boolean(env, 'FORWARD_ADAPTIVE_CONCURRENCY', true),
    maxRps: maxRps(env),
  };
};
