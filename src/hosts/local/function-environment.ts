import { type Config, parseConfig } from '../../config';
import { ConfigError } from '../../lib/env';
import { MIN_ATTEMPT_MS } from '../../services/delivery/request-delivery';
import type { LocalConfig } from './config';

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (env: Env, name: string) => (env[name]?.trim() ?? '') !== '';

/**
 * The variables the local mode adds to the function's environment before loading it: the embedded receiver's
 * URL when no endpoint is set, metrics off (EMF lines would bury the status line) and logs at ERROR, unless the
 * user set them (the local mode prints a line of its own per cause of failure, from the function's report, instead
 * of its JSON warnings); and what Lambda's runtime sets for the way it runs the function.
 */
export const handlerEnvironment = (
  env: Env,
  local: LocalConfig,
  receiverUrl: string | undefined,
): Record<string, string> => {
  const added: Record<string, string> = {};
  if (receiverUrl !== undefined) added.FORWARD_URL = receiverUrl;
  if (!isSet(env, 'POWERTOOLS_METRICS_DISABLED')) added.POWERTOOLS_METRICS_DISABLED = 'true';
  if (!isSet(env, 'POWERTOOLS_LOG_LEVEL')) added.POWERTOOLS_LOG_LEVEL = 'ERROR';
  // What Lambda Managed Instances set for several invocations at once: Powertools then keeps each invocation's
  // context in the InvokeStore.
  added.AWS_LAMBDA_MAX_CONCURRENCY = String(local.concurrentInvocations);
  return added;
};

/**
 * Validates the function's configuration as it will load, and that it fits the local invocation timeout.
 *
 * @throws {ConfigError} when the function's settings are invalid or leave it no time to work.
 */
export const checkForwarderConfig = (env: Env, local: LocalConfig): Config => {
  const config = parseConfig(env);
  if (local.invocationTimeoutMs - config.deadlineMarginMs < MIN_ATTEMPT_MS) {
    throw new ConfigError(
      `INVOCATION_TIMEOUT_MS (${local.invocationTimeoutMs}) must exceed FORWARD_DEADLINE_MARGIN_MS (${config.deadlineMarginMs}) by at least ${MIN_ATTEMPT_MS} ms`,
    );
  }
  return config;
};
