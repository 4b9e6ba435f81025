import type { MiddlewareObj, Request } from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { AuthToken } from '../services/auth/auth-token';

export interface AuthTokenLoaderOptions {
  /** The container's token; loaded on the first invocation that finds it not loaded. */
  auth: AuthToken;
  /** Time kept free before the Lambda timeout: a load still running then fails the invocation. */
  deadlineMarginMs: number;
}

/**
 * Loads the auth token before the batch is forwarded: on the first invocation of a container (a CommonJS bundle has
 * no top-level await for cold start), and again after a failed load. A load that fails fails the invocation with the
 * loader's message, before anything is sent and before the invocation's deadline; later invocations find the token
 * in memory and do not wait.
 */
export const authTokenLoader = (
  opts: AuthTokenLoaderOptions,
): MiddlewareObj<KinesisStreamEvent, KinesisStreamBatchResponse> => {
  const { auth, deadlineMarginMs } = opts;

  const authTokenLoaderBefore = (
    request: Request<KinesisStreamEvent, KinesisStreamBatchResponse>,
  ): Promise<void> | undefined =>
    auth.isLoaded() ? undefined : auth.load(request.context.getRemainingTimeInMillis() - deadlineMarginMs);

  return { before: authTokenLoaderBefore };
};
