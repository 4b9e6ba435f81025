import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { version } from '../../package.json';
import type { Config } from '../config';
import { ConfigError } from '../lib/env';
import type { Credentials } from './auth/credentials';
import { BatchDelivery } from './delivery/batch-delivery';
import { AdaptiveLimit } from './delivery/concurrency-limit';
import { type DeliveryLedger, noLedger, resumeKey } from './delivery/ledger';
import { ReceiverGate } from './delivery/receiver-gate';
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
  /** What was delivered of batches Lambda will send again. */
  readonly ledger?: DeliveryLedger;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Creates the container's forwarder; {@link Forwarder.startBatch} is called once per invocation. */
export const createForwarder = ({
  config,
  post,
  credentials,
  ledger = noLedger,
  now = Date.now,
  random = Math.random,
}: ForwarderDeps) => {
  // Kept by the container: what the limit learned of the receiver, and when it asked to be left alone.
  const parts: DeliveryParts = {
    config,
    post,
    credentials,
    userAgent: USER_AGENT,
    adaptiveLimit: config.adaptiveConcurrency
      ? new AdaptiveLimit({ ceiling: config.concurrency })
      : undefined,
    gate: new ReceiverGate({ maxRps: config.maxRps, now }),
    ledger,
    now,
    random,
  };

  return {
    /**
     * Starts one invocation's delivery of a batch, with a deadline `deadlineMarginMs` before the invocation's
     * timeout, after asking the ledger what of it was delivered already.
     *
     * @throws {ConfigError} when the margin leaves this invocation no time to send: a function timeout too short
     *   for the margin would otherwise report every record of every batch, quietly.
     */
    async startBatch(
      records: readonly KinesisStreamRecord[],
      context: Pick<Context, 'getRemainingTimeInMillis'>,
    ): Promise<BatchDelivery> {
      const left = context.getRemainingTimeInMillis();
      if (left - config.deadlineMarginMs < MIN_ATTEMPT_MS) {
        throw new ConfigError(
          `FORWARD_DEADLINE_MARGIN_MS (${config.deadlineMarginMs} ms) leaves no time to send: the invocation had ` +
            `${left} ms left; lower the margin or raise the function's timeout`,
        );
      }
      const deadline = now() + left - config.deadlineMarginMs;
      const session = openDeliverySession(parts, deadline);
      // One read of the ledger: is this batch one Lambda sends again, and what of it was delivered already?
      const [first] = records;
      const recalled =
        first === undefined
          ? undefined
          : await ledger.recall(resumeKey(first), Math.min(1000, deadline - now()));
      return recalled === undefined || 'problem' in recalled
        ? new BatchDelivery(records, session, undefined, recalled?.problem)
        : new BatchDelivery(records, session, recalled);
    },
  };
};

export type Forwarder = ReturnType<typeof createForwarder>;
