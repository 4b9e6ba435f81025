import type { Context } from 'aws-lambda';
import { createLambdaContext } from '../../src/hosts/lambda-context';

/** A Lambda context whose remaining time counts down from `timeoutMs`, as in a real invocation. */
export const lambdaContext = (timeoutMs = 30_000): Context => createLambdaContext({ timeoutMs });
