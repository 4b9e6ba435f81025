import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * The environment that turns tracing on as deployed (`Tracing: Active`): Lambda's AWS_EXECUTION_ENV, which turns on
 * Powertools' tracer and so loads the X-Ray SDK, and LAMBDA_TASK_ROOT, which puts the SDK in its Lambda mode (a
 * facade segment per invocation, subsegments sent one by one over UDP). The SDK sends them to `daemonAddress`, a
 * UDP port on 127.0.0.1; a context missing outside an invocation is ignored, as Powertools sets it in Lambda.
 */
export const tracingEnv = (bundlePath: string, daemonAddress: string): Record<string, string> => ({
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: dirname(bundlePath),
  AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
});

/**
 * A fresh X-Ray trace header for one invocation, as Lambda's runtime puts it in `_X_AMZN_TRACE_ID` before calling
 * the handler: a new root, the caller's segment as parent, and whether the trace is sampled.
 */
export const traceHeader = (sampled: boolean, now = Date.now()): string => {
  const root = `1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled ? 1 : 0}`;
};
