import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  /** The function's timeout: `getRemainingTimeInMillis` counts down from it. */
  readonly timeoutMs: number;
  readonly functionName?: string;
  readonly memoryMb?: number;
}

/**
 * A Lambda context for running the handler outside Lambda: a fresh request id, and a remaining time that counts
 * down from the timeout as the invocation runs, as Lambda's does.
 */
export const createLambdaContext = ({
  timeoutMs,
  functionName = 'kinesis-http-forwarder',
  memoryMb = 512,
}: LambdaContextOptions): Context => {
  const start = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - start)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
