import { createRequire } from 'node:module';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import type { Variant } from './variant';

type LambdaHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

/** The Lambda timeout each invocation's context counts down from: far from the run, so it never bites. */
export const TIMEOUT_MS = 60_000;

/**
 * This function as Lambda runs it: the bundle is required once (the cold start reads the environment, which the
 * caller has set), then `handler(event, context)` is called once per batch with a fresh Lambda context. Resolves
 * each invocation with the number of records not listed in `batchItemFailures`.
 */
export const loadThisFunction = (bundlePath: string): Variant => {
  const { handler } = createRequire(bundlePath)(bundlePath) as { handler: LambdaHandler };
  return {
    async invoke(event) {
      const response = await handler(event, createLambdaContext({ timeoutMs: TIMEOUT_MS }));
      return event.Records.length - response.batchItemFailures.length;
    },
  };
};
