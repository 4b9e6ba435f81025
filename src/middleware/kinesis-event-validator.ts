import type { MiddlewareObj, Request } from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { findEventProblems, InvalidEventError } from '../services/event-validation';

export interface KinesisEventValidatorOptions {
  /** Most problems named in the error message. */
  maxProblems?: number;
}

const defaults: Required<KinesisEventValidatorOptions> = { maxProblems: 5 };

/**
 * Rejects an event that is not a Kinesis stream event before anything is sent, with an error naming what is wrong.
 * The event is checked as it is: never transformed, so the forwarded body stays exactly as received.
 */
export const kinesisEventValidator = (
  opts: KinesisEventValidatorOptions = {},
): MiddlewareObj<KinesisStreamEvent, KinesisStreamBatchResponse> => {
  const { maxProblems } = { ...defaults, ...opts };

  const kinesisEventValidatorBefore = (request: Request<KinesisStreamEvent, KinesisStreamBatchResponse>) => {
    const problems = findEventProblems(request.event as unknown, maxProblems);
    if (problems.length > 0) throw new InvalidEventError(problems);
  };

  return { before: kinesisEventValidatorBefore };
};
