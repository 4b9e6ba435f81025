import { createRequire } from 'node:module';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import type { Variant } from './variant';

/** A Lambda handler for Kinesis with partial batch responses, as a bundle exports it. */
export type LambdaHandler = (
  event: KinesisStreamEvent,
  context: Context,
) => Promise<KinesisStreamBatchResponse>;

/** The Lambda timeout each invocation's context counts down from: far from the run, so it never bites. */
export const TIMEOUT_MS = 60_000;

/**
 * Requires a Lambda bundle once, as Lambda's cold start does (it reads the environment, which the caller has set),
 * and returns its `handler`.
 */
export const loadLambdaHandler = (bundlePath: string): LambdaHandler =>
  (createRequire(bundlePath)(bundlePath) as { handler: LambdaHandler }).handler;

/**
 * A Lambda bundle (this function, or the peer) as Lambda runs it: `handler(event, context)` once per batch with a
 * fresh Lambda context. Resolves each invocation with the number of records not listed in `batchItemFailures`.
 */
export const lambdaVariant = (handler: LambdaHandler): Variant => ({
  async invoke(event) {
    const response = await handler(event, createLambdaContext({ timeoutMs: TIMEOUT_MS }));
    return event.Records.length - response.batchItemFailures.length;
  },
});
