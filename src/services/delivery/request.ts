import { createHash } from 'node:crypto';
import type { Config } from '../../config';
import { shardOfEventId } from '../../lib/event-id';
import type { Item } from '../records/items';

/** One HTTP request: what it carries and the headers that stay the same on every attempt. */
export interface Request {
  readonly items: readonly Item[];
  /** `Idempotency-Key` and `webhook-id`: the item's id, or for several items one derived from theirs. */
  readonly id: string;
  /**
   * The body as signed; compressed (when configured) only on the wire. Text stays a string: Node writes a string
   * body with the headers in one write, a Buffer in a second one, which costs the kernel (and both ends) more.
   */
  readonly body: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** One item's part of a body: the text (or bytes) and its size in bytes. */
export interface Rendered {
  readonly content: string | Buffer;
  readonly bytes: number;
}

export type RequestSettings = Pick<
  Config,
  'body' | 'dataContentType' | 'headers' | 'batchFormat' | 'batchMaxRecords' | 'contentEncoding'
>;

const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

// The item's data as JSON text, exactly as written, or undefined when it is not JSON (not UTF-8, or not parsable).
const jsonText = (data: Buffer): string | undefined => {
  let text: string;
  try {
    text = UTF8.decode(data);
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return text;
};

// The record's `kinesis` object; for a user record of an aggregate its own key and data, and its index.
const kinesisOf = (item: Item) =>
  item.subSequenceNumber === undefined
    ? item.record.kinesis
    : {
        ...item.record.kinesis,
        partitionKey: item.partitionKey,
        data: (item.data ?? Buffer.alloc(0)).toString('base64'),
        subSequenceNumber: item.subSequenceNumber,
      };

const recordOf = (item: Item) =>
  item.subSequenceNumber === undefined ? item.record : { ...item.record, kinesis: kinesisOf(item) };

const sized = (content: string | Buffer): Rendered => ({
  content,
  bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
});

/**
 * What an item adds to a request, in the configured body: its `kinesis` object, its data, or its whole record. In a
 * request of several items a `data` item is a JSON value: its data when that is JSON (as written, line breaks turned
 * into spaces so an NDJSON line stays one line), otherwise the data as a base64 string.
 */
export const renderItem = (item: Item, settings: RequestSettings, alone: boolean): Rendered => {
  switch (settings.body) {
    case 'kinesis':
      return sized(JSON.stringify(kinesisOf(item)));
    case 'record':
      return sized(JSON.stringify(recordOf(item)));
    case 'data': {
      const data = item.data ?? Buffer.alloc(0);
      if (alone) return sized(data);
      const text = jsonText(data);
      return sized(
        text === undefined ? JSON.stringify(data.toString('base64')) : text.replace(/[\r\n]/g, ' '),
      );
    }
  }
};

/**
 * The parts of a request of several items in one buffer, between `open` and `close` (ASCII). Written part by part
 * into a buffer of the size already known: joining a hundred strings of a kilobyte, then measuring and encoding
 * the result, took over a millisecond per request, most of batch mode's CPU.
 */
const framed = (rendered: readonly Rendered[], open: string, separator: string, close: string): Buffer => {
  let size = open.length + close.length + separator.length * (rendered.length - 1);
  for (const part of rendered) size += part.bytes;
  const body = Buffer.alloc(size);
  let at = body.write(open, 0, 'latin1');
  rendered.forEach((part, index) => {
    if (index > 0) at += body.write(separator, at, 'latin1');
    at +=
      typeof part.content === 'string' ? body.write(part.content, at, 'utf8') : part.content.copy(body, at);
  });
  body.write(close, at, 'latin1');
  return body;
};

/** Bytes a request of `count` items of `bytes` bytes in all takes, with the format's brackets and separators. */
export const batchBytes = (settings: RequestSettings, count: number, bytes: number): number =>
  settings.batchMaxRecords === 1
    ? bytes
    : settings.batchFormat === 'json'
      ? bytes + count + 1
      : bytes + count;

// Where a `data` body puts what the other bodies carry: the record's metadata. A partition key may hold any
// character, so it is percent-encoded.
const metadataHeaders = (item: Item): Record<string, string> => {
  const { kinesis, eventSourceARN } = item.record;
  const headers: Record<string, string> = {
    'Kinesis-Partition-Key': encodeURIComponent(item.partitionKey),
    'Kinesis-Sequence-Number': kinesis.sequenceNumber,
    'Kinesis-Shard-Id': shardOfEventId(item.record.eventID),
    'Kinesis-Arrival-Time': new Date(kinesis.approximateArrivalTimestamp * 1000).toISOString(),
  };
  if (item.subSequenceNumber !== undefined)
    headers['Kinesis-Sub-Sequence-Number'] = String(item.subSequenceNumber);
  if (eventSourceARN) headers['Kinesis-Stream-Arn'] = eventSourceARN;
  return headers;
};

// A request of several items gets its own key: the same items give the same key, on every retry.
const batchId = (items: readonly Item[]): string =>
  `batch:${createHash('sha256')
    .update(items.map((item) => item.id).join('\n'))
    .digest('base64url')}`;

/**
 * Puts a request together from its items (already rendered, in order): the body in the configured format, and the
 * headers every attempt sends: content type, idempotency key, the user agent, the static headers, the content
 * encoding and, for a `data` body of one item, the record's metadata.
 */
export const buildRequest = (
  items: readonly Item[],
  rendered: readonly Rendered[],
  settings: RequestSettings,
  userAgent: string,
): Request => {
  const [first] = items;
  const [only] = rendered;
  if (first === undefined || only === undefined) throw new Error('a request needs at least one item');
  const alone = settings.batchMaxRecords === 1;
  let body: string | Buffer;
  let contentType: string;
  if (alone) {
    // Data that is JSON is UTF-8 text: sent as the same text, it is the same bytes.
    const text = typeof only.content === 'string' ? only.content : jsonText(only.content);
    body = text ?? only.content;
    contentType = text !== undefined ? JSON_TYPE : settings.dataContentType;
  } else if (settings.batchFormat === 'json') {
    body = framed(rendered, '[', ',', ']');
    contentType = JSON_TYPE;
  } else {
    body = framed(rendered, '', '\n', '\n');
    contentType = NDJSON_TYPE;
  }
  const id = alone ? first.id : batchId(items);
  const headers: Record<string, string> = {
    ...settings.headers,
    'Content-Type': contentType,
    'Idempotency-Key': id,
    'User-Agent': userAgent,
    ...(alone && settings.body === 'data' ? metadataHeaders(first) : {}),
    ...(settings.contentEncoding === 'gzip' ? { 'Content-Encoding': 'gzip' } : {}),
  };
  return { items, id, body, headers };
};
