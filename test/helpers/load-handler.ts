import type { Context, KinesisStreamBatchResponse } from 'aws-lambda';

export type ForwardHandler = (event: unknown, context: Context) => Promise<KinesisStreamBatchResponse>;

// The function's own variables and those Lambda's runtime sets, so one test's cold start cannot leak into the next.
const FORWARDER_VARIABLES = /^(FORWARD_|LISTENER_|POWERTOOLS_|AWS_LAMBDA_)/;

/**
 * Gives this process the function's environment for its next cold start: `env` alone among the function's own
 * variables, metrics and logs off unless `env` turns them on.
 */
export const setFunctionEnvironment = (env: Readonly<Record<string, string>>): void => {
  for (const name of Object.keys(process.env)) {
    if (FORWARDER_VARIABLES.test(name)) delete process.env[name];
  }
  Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env });
};

/**
 * Loads a fresh copy of the Lambda handler (a cold start) with the given environment, as Lambda would:
 * configuration is read when the module is first imported.
 */
export const loadHandler = (env: Record<string, string>): ForwardHandler => {
  setFunctionEnvironment(env);
  let handler: ForwardHandler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../src/handler') as { handler: ForwardHandler }).handler;
  });
  if (!handler) throw new Error('handler did not load');
  return handler;
};
