import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { ContainerLogger } from '../services/container-logger';
import { withoutPayloads } from '../services/loggable-event';

export interface InvocationLoggerOptions {
  /** The container's logger; each invocation logs through its own child, which carries its context. */
  logger: ContainerLogger;
  /** Keep record payloads (`kinesis.data`) in the logged event. */
  logPayloads?: boolean;
}

const defaults: Omit<Required<InvocationLoggerOptions>, 'logger'> = { logPayloads: false };

type KinesisRequest = Request<KinesisStreamEvent, KinesisStreamBatchResponse>;

/**
 * Logs each invocation's event and response through that invocation's own logger (`input/output`, at DEBUG; the
 * event at INFO when POWERTOOLS_LOGGER_LOG_EVENT=true). Payloads are left out unless `logPayloads`, and so is
 * anything in an event that does not have the Kinesis shape.
 */
export const invocationLogger = (
  opts: InvocationLoggerOptions,
): MiddlewareObj<KinesisStreamEvent, KinesisStreamBatchResponse> => {
  const { logger, logPayloads } = { ...defaults, ...opts };

  const invocationLoggerBefore = (request: KinesisRequest) => {
    const log = logger.forInvocation(request.context);
    const atInfo = log.shouldLogEvent();
    // Copying a large batch costs: only for a line that is written.
    if (!atInfo && log.level > LogLevelThreshold.DEBUG) return;
    const event = logPayloads ? request.event : withoutPayloads(request.event);
    if (atInfo) log.info('input/output', { event });
    else log.debug('input/output', { event });
  };

  const invocationLoggerAfter = (request: KinesisRequest) => {
    logger.forInvocation(request.context).debug('input/output', { response: request.response });
  };

  return { before: invocationLoggerBefore, after: invocationLoggerAfter };
};
