import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The function as Lambda would name it in a context. */
export interface FunctionIdentity {
  readonly functionName: string;
  readonly region: string;
  readonly account: string;
}

export interface LambdaContextOptions {
  /** The function's timeout: `getRemainingTimeInMillis` counts down from it, starting now. */
  readonly timeoutMs: number;
  readonly identity?: Partial<FunctionIdentity>;
  readonly memoryMb?: number;
  readonly now?: () => number;
}

const DEFAULT_IDENTITY: FunctionIdentity = {
  functionName: 'kinesis-http-forwarder',
  region: 'local',
  account: '000000000000',
};

/**
 * A Lambda context for running the handler outside Lambda: a fresh request id, and a remaining time that counts
 * down from the timeout as the invocation runs, as Lambda's does, so the function's own deadline applies.
 */
export const createLambdaContext = ({
  timeoutMs,
  identity,
  memoryMb = 512,
  now = Date.now,
}: LambdaContextOptions): Context => {
  const startedAt = now();
  const { functionName, region, account } = { ...DEFAULT_IDENTITY, ...identity };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (now() - startedAt)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
