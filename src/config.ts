import { displayValue } from './lib/display';
import { boolean, ConfigError, type Env, integer, oneOf, parseHttpUrl, present } from './lib/env';
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

const MAX = Number.MAX_SAFE_INTEGER;

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
  };
};
