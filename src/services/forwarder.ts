import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { version } from '../../package.json';
import type { Config } from '../config';
import { ConfigError } from '../lib/env';
import type { Credentials } from './auth/credentials';
import { BatchDelivery } from './delivery/batch-delivery';
import { MIN_ATTEMPT_MS } from './delivery/request-delivery';
import { type DeliveryParts, openDeliverySession } from './delivery/session';
import type { PostFn } from './http/http-client';

/** Identifies this forwarder to receivers. */
export const USER_AGENT = `kinesis-http-forwarder/${version}`;

export interface ForwarderDeps {
  readonly config: Config;
  readonly post: PostFn;
  /** The `Authorization` token and the signing keys, and how to renew them after a 401. */
  readonly credentials: Credentials;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Creates the container's forwarder; {@link Forwarder.startBatch} is called once per invocation. */
export const createForwarder = ({
  config,
  post,
  credentials,
  now = Date.now,
  random = Math.random,
}: ForwarderDeps) => {
  const parts: DeliveryParts = { config, post, credentials, userAgent: USER_AGENT, now, random };

  return {
    /**
     * Starts one invocation's delivery of a batch, with a deadline `deadlineMarginMs` before the invocation's
     * timeout.
     *
     * @throws {ConfigError} when the margin leaves this invocation no time to send: a function timeout too short
     *   for the margin would otherwise report every record of every batch, quietly.
     */
    startBatch(records: readonly KinesisStreamRecord[], context: Pick<Context, 'getRemainingTimeInMillis'>) {
      const left = context.getRemainingTimeInMillis();
      if (left - config.deadlineMarginMs < MIN_ATTEMPT_MS) {
        throw new ConfigError(
          `FORWARD_DEADLINE_MARGIN_MS (${config.deadlineMarginMs} ms) leaves no time to send: the invocation had ` +
            `${left} ms left; lower the margin or raise the function's timeout`,
        );
      }
      const deadline = now() + left - config.deadlineMarginMs;
      return new BatchDelivery(records, openDeliverySession(parts, deadline));
    },
  };
};

export type Forwarder = ReturnType<typeof createForwarder>;
