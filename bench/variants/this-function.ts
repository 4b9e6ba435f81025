import { createRequire } from 'node:module';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Variant } from './variant';

type LambdaHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

// Lambda's default Kinesis consumer timeout would do too; what matters is a deadline far from the run.
const TIMEOUT_MS = 60_000;

let invocations = 0;

// A context like the one Lambda passes: a fresh request id and a clock counting down to the timeout.
const lambdaContext = (): Context => {
  const start = Date.now();
  invocations += 1;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'kinesis-http-forwarder',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kinesis-http-forwarder',
    memoryLimitInMB: '256',
    awsRequestId: `bench-${process.pid}-${invocations}`,
    logGroupName: '/aws/lambda/kinesis-http-forwarder',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, TIMEOUT_MS - (Date.now() - start)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/**
 * This function as Lambda runs it: the bundle is required once (the cold start reads the environment, which the
 * caller has set), then `handler(event, context)` is called once per batch. Resolves each invocation with the
 * number of records not listed in `batchItemFailures`.
 */
export const loadThisFunction = (bundlePath: string): Variant => {
  const { handler } = createRequire(bundlePath)(bundlePath) as { handler: LambdaHandler };
  return {
    async invoke(event) {
      const response = await handler(event, lambdaContext());
      return event.Records.length - response.batchItemFailures.length;
    },
  };
};
