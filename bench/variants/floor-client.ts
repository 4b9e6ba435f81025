import http from 'node:http';
import type { KinesisStreamRecord } from 'aws-lambda';
import { postRecord } from './post-record';
import type { Variant } from './variant';

/** Options of the floor client: where to POST and how many requests may be in flight. */
export interface FloorOptions {
  readonly url: string;
  readonly concurrency: number;
}

/**
 * The floor: the least any forwarder with this function's ordering must do. One keep-alive pool capped at
 * `concurrency` sockets, the records of each partition key sent one at a time in batch order, a key stopping at
 * its first non-2xx; no retries, timeouts, logs or metrics. Resolves with the number of records delivered.
 */
export const createFloorClient = ({ url, concurrency }: FloorOptions): Variant => {
  const target = new URL(url);
  // The agent queues requests beyond maxSockets first in first out: that is the concurrency cap.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  return {
    async invoke(event) {
      const lanes = new Map<string, KinesisStreamRecord[]>();
      for (const record of event.Records) {
        const lane = lanes.get(record.kinesis.partitionKey);
        if (lane) lane.push(record);
        else lanes.set(record.kinesis.partitionKey, [record]);
      }
      const delivered = await Promise.all(
        [...lanes.values()].map(async (lane) => {
          let count = 0;
          for (const record of lane) {
            const status = await postRecord(target, record, agent);
            if (status < 200 || status > 299) break;
            count += 1;
          }
          return count;
        }),
      );
      return delivered.reduce((sum, count) => sum + count, 0);
    },
  };
};
