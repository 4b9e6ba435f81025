import type { MiddlewareObj, Request } from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Credentials } from '../services/auth/credentials';

export interface CredentialsLoaderOptions {
  /** The container's token and signing keys; loaded on the first invocation that finds them not loaded. */
  credentials: Credentials;
  /** Time kept free before the Lambda timeout: a load still running then fails the invocation. */
  deadlineMarginMs: number;
}

/**
 * Loads the auth token and the signing keys (those kept in Secrets Manager) before the batch is forwarded: on the
 * first invocation of a container (a CommonJS bundle has no top-level await for cold start), and again after a
 * failed load. A load that fails fails the invocation with the loader's message, before anything is sent and before
 * the invocation's deadline; later invocations find them in memory and do not wait.
 */
export const credentialsLoader = (
  opts: CredentialsLoaderOptions,
): MiddlewareObj<KinesisStreamEvent, KinesisStreamBatchResponse> => {
  const { credentials, deadlineMarginMs } = opts;

  const credentialsLoaderBefore = (
    request: Request<KinesisStreamEvent, KinesisStreamBatchResponse>,
  ): Promise<void> | undefined =>
    credentials.isLoaded()
      ? undefined
      : credentials.load(request.context.getRemainingTimeInMillis() - deadlineMarginMs);

  return { before: credentialsLoaderBefore };
};
