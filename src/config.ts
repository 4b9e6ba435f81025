import { displayUrl, displayValue } from './lib/display';
import { headerValueProblem } from './lib/header-value';

/** How records of one batch are ordered while they are forwarded. */
export type OrderingMode = 'partition-key' | 'shard' | 'none';

export const ORDERING_MODES: readonly OrderingMode[] = ['partition-key', 'shard', 'none'];

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
}

/** Thrown when the environment holds a missing or invalid setting; fails the cold start. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const present = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

// A primary name and the original forwarder's alias must not disagree.
const aliased = (env: Env, name: string, alias: string): string | undefined => {
  const primary = present(env, name);
  const legacy = present(env, alias);
  if (primary !== undefined && legacy !== undefined && primary !== legacy) {
    throw new ConfigError(`${name} and ${alias} are both set to different values; set only one`);
  }
  return primary ?? legacy;
};

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const kind = min === 0 ? 'a non-negative integer' : 'a positive integer';
    const range = max === Number.MAX_SAFE_INTEGER ? '' : ` between ${min} and ${max}`;
    throw new ConfigError(`${name} must be ${kind}${range}, got ${displayValue(raw)}`);
  }
  return value;
};

const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${displayValue(raw)}`);
};

/**
 * Parses `raw`, the value of `name`, as an http(s) URL. The value is echoed masked: a URL may hold credentials or a
 * secret query, and a value that does not parse is not echoed at all.
 *
 * @throws {ConfigError} naming the variable and saying that it expects `expected`.
 */
export const parseHttpUrl = (name: string, raw: string, expected = 'an http(s) URL'): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} must be ${expected}, got a value that does not parse as a URL (not shown: it may hold credentials)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be ${expected}, got ${displayValue(displayUrl(raw))}`);
  }
  return url;
};

const httpUrl = (env: Env, name: string, alias: string): string => {
  const raw = aliased(env, name, alias);
  if (raw === undefined) {
    throw new ConfigError(`${name} is required: the http(s) URL every record is POSTed to (or set ${alias})`);
  }
  return parseHttpUrl(name, raw).toString();
};

const ordering = (env: Env): OrderingMode => {
  const raw = present(env, 'FORWARD_ORDERING') ?? 'partition-key';
  if (!(ORDERING_MODES as readonly string[]).includes(raw)) {
    throw new ConfigError(
      `FORWARD_ORDERING must be one of ${ORDERING_MODES.join(', ')}, got ${displayValue(raw)}`,
    );
  }
  return raw as OrderingMode;
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

const MAX = Number.MAX_SAFE_INTEGER;

/** Least margin: settling a 10,000-record batch and answering must fit in it, before Middy's own timeout. */
export const MIN_DEADLINE_MARGIN_MS = 200;
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
    ordering: ordering(env),
    backoffBaseMs,
    backoffMaxMs,
    breakerThreshold: integer(env, 'FORWARD_BREAKER_THRESHOLD', 10, 0, MAX),
    deadlineMarginMs: deadlineMargin(env),
    maxResponseBytes: integer(env, 'FORWARD_MAX_RESPONSE_BYTES', 65536, 0, MAX),
    logPayloads: boolean(env, 'FORWARD_LOG_PAYLOADS', false),
    metricsNamespace: present(env, 'POWERTOOLS_METRICS_NAMESPACE') ?? 'KinesisHttpForwarder',
    serviceName: present(env, 'POWERTOOLS_SERVICE_NAME') ?? 'kinesis-http-forwarder',
    tracingEnabled: tracingEnabled(env),
  };
};
