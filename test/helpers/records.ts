import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

let sequence = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

export interface RecordOptions {
  partitionKey?: string;
  payload?: unknown;
  shardId?: string;
  sequenceNumber?: string;
}

/** A Kinesis stream record as Lambda delivers it, with a fresh, increasing sequence number. */
export const kinesisRecord = ({
  partitionKey = 'key-1',
  payload = { hello: 'world' },
  shardId = 'shardId-000000000000',
  sequenceNumber,
}: RecordOptions = {}): KinesisStreamRecord => {
  sequence += 1n;
  const seq = sequenceNumber ?? sequence.toString();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber: seq,
      data: Buffer.from(JSON.stringify(payload)).toString('base64'),
      approximateArrivalTimestamp: 1_732_000_000.123,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/forwarder',
    awsRegion: 'eu-west-1',
    eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
  };
};

/** A record whose data is exactly `data` (bytes, or text written as UTF-8), not JSON of a payload. */
export const rawRecord = (
  data: string | Buffer,
  options: Omit<RecordOptions, 'payload'> = {},
): KinesisStreamRecord => {
  const record = kinesisRecord(options);
  return { ...record, kinesis: { ...record.kinesis, data: Buffer.from(data).toString('base64') } };
};

/** `count` records spread round-robin over `keys` partition keys, each payload naming its key and position. */
export const interleavedRecords = (count: number, keys: number): KinesisStreamRecord[] =>
  Array.from({ length: count }, (_, index) =>
    kinesisRecord({ partitionKey: `key-${index % keys}`, payload: { key: `key-${index % keys}`, index } }),
  );

export const kinesisEvent = (records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** The payload of a forwarded body, decoded from base64. */
export const decodePayload = (body: string): unknown => {
  const { data } = JSON.parse(body) as { data: string };
  return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
};
