import { postRecord } from './post-record';
import type { Variant } from './variant';

/** Thrown when a record is refused: the original failed the whole invocation and Lambda retried the batch. */
export class BatchFailedError extends Error {
  override name = 'BatchFailedError';
}

/**
 * The original forwarder's algorithm on today's Node: the records of the batch one at a time, in batch order,
 * each awaited before the next, over the default (keep-alive) agent; the first failure fails the invocation.
 */
export const createOneAtATime = (url: string): Variant => {
  const target = new URL(url);
  return {
    async invoke(event) {
      for (const record of event.Records) {
        const status = await postRecord(target, record);
        if (status < 200 || status > 299) {
          throw new BatchFailedError(`record ${record.eventID} was refused with HTTP ${status}`);
        }
      }
      return event.Records.length;
    },
  };
};
