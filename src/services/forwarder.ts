import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { version } from '../../package.json';
import type { Config } from '../config';
import { ConfigError } from '../lib/env';
import type { AuthToken } from './auth/auth-token';
import { BatchDelivery } from './delivery/batch-delivery';
import { MIN_ATTEMPT_MS } from './delivery/record-delivery';
import { type DeliveryParts, openDeliverySession } from './delivery/session';
import type { PostFn } from './http/http-client';

/** Identifies this forwarder to receivers. */
export const USER_AGENT = `kinesis-http-forwarder/${version}`;

export interface ForwarderDeps {
  readonly config: Config;
  readonly post: PostFn;
  /** The `Authorization` value, if any, and how to get a new one after a 401. */
  readonly auth: AuthToken;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Creates the container's forwarder; {@link Forwarder.startBatch} is called once per invocation. */
export const createForwarder = ({
  config,
  post,
  auth,
  now = Date.now,
  random = Math.random,
}: ForwarderDeps) => {
  const headersFor = (record: KinesisStreamRecord): Record<string, string> => {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': record.eventID,
      'User-Agent': USER_AGENT,
    };
    const token = auth.current();
    if (token !== undefined) headers.Authorization = token;
    return headers;
  };

  const parts: DeliveryParts = { config, post, headersFor, renewAuth: auth.renew, now, random };

  return {
    /**
     * Starts one invocation's delivery of a batch, with a deadline `deadlineMarginMs` before the invocation's timeout.
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
