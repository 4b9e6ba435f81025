import { gunzipSync } from 'node:zlib';
import { shardOfEventId } from '../../../lib/event-id';
import { isObject } from '../../../lib/guards';
import { type ReceivedRequest, startLoopbackReceiver } from '../../loopback-receiver';
import type { Printer } from './printer';

/** The receiver of the embedded default: prints every event it gets and answers 200. */
export interface EventPrinter {
  readonly url: string;
  readonly received: () => number;
  close(): Promise<void>;
}

const MAX_SHOWN = 2000;

const cut = (shown: string, bytes: number): string =>
  shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}... (${bytes} bytes)` : shown;

// Bytes as text when they are UTF-8, else as base64; long ones are cut.
const showBytes = (bytes: Buffer): string => {
  try {
    return cut(new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes.length);
  } catch {
    return cut(`(binary, base64) ${bytes.toString('base64')}`, bytes.length);
  }
};

// One forwarded item: a `kinesis` object, a whole event record, or a `data` item of a batch (shown as the JSON it
// is: the record's data, or a base64 string of data that is not JSON). Without a shard, it is indented under its batch.
const itemLine = (item: unknown, shard: string | undefined): string => {
  const record = isObject(item) && isObject(item.kinesis) ? item : undefined;
  const kinesis = record ? record.kinesis : item;
  const where = (record && typeof record.eventID === 'string' && shardOfEventId(record.eventID)) || shard;
  const prefix = where ? `[receiver] ${where} ` : '[receiver]   ';
  if (isObject(kinesis) && typeof kinesis.data === 'string' && 'partitionKey' in kinesis) {
    const sub = kinesis.subSequenceNumber === undefined ? '' : ` #${String(kinesis.subSequenceNumber)}`;
    return `${prefix}key=${String(kinesis.partitionKey)}${sub}: ${showBytes(Buffer.from(kinesis.data, 'base64'))}`;
  }
  const payload = JSON.stringify(item);
  return `${prefix}${cut(payload, payload.length)}`;
};

const header = (request: ReceivedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The lines a forwarded request is shown as: one per record, with its shard, partition key and payload decoded,
 * whatever body the function sends (`FORWARD_BODY`, a batch as JSON or NDJSON, gzip), and a line before a batch.
 */
export const describeRequest = (request: ReceivedRequest): string[] => {
  let raw = request.raw;
  if (header(request, 'content-encoding') === 'gzip') {
    try {
      raw = gunzipSync(raw);
    } catch {
      return [`[receiver] a gzip body that does not decompress (${raw.length} bytes)`];
    }
  }
  const signed = header(request, 'webhook-signature') === undefined ? '' : ' (signed)';
  const partitionKey = header(request, 'kinesis-partition-key');
  if (partitionKey !== undefined) {
    // A `data` body: the record's bytes as they are, its metadata in headers.
    const shard = header(request, 'kinesis-shard-id') ?? 'unknown shard';
    return [`[receiver] ${shard} key=${decodeURIComponent(partitionKey)}: ${showBytes(raw)}${signed}`];
  }
  const text = raw.toString('utf8');
  const shard = shardOfEventId(header(request, 'idempotency-key') ?? '') || 'unknown shard';
  const ndjson = (header(request, 'content-type') ?? '').startsWith('application/x-ndjson');
  let parsed: unknown;
  try {
    parsed = ndjson
      ? text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown)
      : (JSON.parse(text) as unknown);
  } catch {
    return [`[receiver] a body that is not JSON (${raw.length} bytes)${signed}`];
  }
  // A batch is a JSON array, or NDJSON lines; anything else is one record's body.
  if (!Array.isArray(parsed)) return [`${itemLine(parsed, shard)}${signed}`];
  return [
    `[receiver] a batch of ${parsed.length} record${parsed.length === 1 ? '' : 's'}${signed}:`,
    ...parsed.map((item) => itemLine(item, undefined)),
  ];
};

/**
 * Starts a receiver on 127.0.0.1:`port` (0 picks a free port) that prints each event it gets (the decoded
 * payload) and answers 200, standing in for the user's service.
 */
export const startEventPrinter = async (print: Printer, port = 0): Promise<EventPrinter> => {
  let count = 0;
  const loopback = await startLoopbackReceiver(
    (request) => {
      count += 1;
      for (const line of describeRequest(request)) print.info(line);
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' };
    },
    { port },
  );
  return { url: loopback.url, received: () => count, close: () => loopback.close() };
};
