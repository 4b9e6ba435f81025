import http from 'node:http';
import type { KinesisStreamRecord } from 'aws-lambda';

/**
 * POSTs one record as this function does (the `kinesis` object as JSON, its event id as `Idempotency-Key`) with
 * plain node:http, and resolves with the status once the response has been read. Without an agent it uses
 * http.globalAgent, which keeps connections alive by default since Node 19.
 */
export const postRecord = (url: URL, record: KinesisStreamRecord, agent?: http.Agent): Promise<number> =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(record.kinesis);
    const request = http.request(
      url,
      {
        method: 'POST',
        ...(agent ? { agent } : {}),
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Idempotency-Key': record.eventID,
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(body);
  });
