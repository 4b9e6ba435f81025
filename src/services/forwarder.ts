import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { version } from '../../package.json';
import type { Config } from '../config';
import type { AuthToken } from './auth-token';
import { BatchDelivery } from './batch-delivery';
import type { PostFn } from './http-client';

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

  return {
    /** Starts delivering a batch, with a deadline `deadlineMarginMs` before the invocation's timeout. */
    startBatch(records: readonly KinesisStreamRecord[], context: Pick<Context, 'getRemainingTimeInMillis'>) {
      const deadline = now() + context.getRemainingTimeInMillis() - config.deadlineMarginMs;
      return new BatchDelivery(records, {
        config,
        post,
        headersFor,
        renewAuth: auth.renew,
        deadline,
        now,
        random,
      });
    },
  };
};

export type Forwarder = ReturnType<typeof createForwarder>;
