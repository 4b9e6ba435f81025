import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The local function's identity, as Lambda would describe it. */
export interface FunctionIdentity {
  readonly functionName: string;
  readonly region: string;
  readonly account: string;
}

/**
 * A Lambda-like context for one invocation: `getRemainingTimeInMillis` counts down from `timeoutMs`, so the
 * function's own deadline logic applies exactly as on Lambda.
 */
export const invocationContext = (
  identity: FunctionIdentity,
  timeoutMs: number,
  now: () => number = Date.now,
): Context => {
  const startedAt = now();
  const { functionName, region, account } = identity;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (now() - startedAt)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
