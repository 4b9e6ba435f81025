import type { Context } from 'aws-lambda';

/** A Lambda context whose remaining time counts down from `timeoutMs`, as in a real invocation. */
export const lambdaContext = (timeoutMs = 30_000): Context => {
  const start = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'kinesis-http-forwarder',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kinesis-http-forwarder',
    memoryLimitInMB: '256',
    awsRequestId: `req-${start}`,
    logGroupName: '/aws/lambda/kinesis-http-forwarder',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - start)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
