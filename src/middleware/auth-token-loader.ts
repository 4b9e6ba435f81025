import type { MiddlewareObj } from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { AuthToken } from '../services/auth-token';

export interface AuthTokenLoaderOptions {
  /** The container's token; loaded on the first invocation that finds it not loaded. */
  auth: AuthToken;
}

/**
 * Loads the auth token before the batch is forwarded: on the first invocation of a container (a CommonJS bundle has
 * no top-level await for cold start), and again after a failed load. A load that fails fails the invocation with the
 * loader's message, before anything is sent; later invocations find the token in memory and do not wait.
 */
export const authTokenLoader = (
  opts: AuthTokenLoaderOptions,
): MiddlewareObj<KinesisStreamEvent, KinesisStreamBatchResponse> => {
  const { auth } = opts;

  const authTokenLoaderBefore = (): Promise<void> | undefined => (auth.isLoaded() ? undefined : auth.load());

  return { before: authTokenLoaderBefore };
};
