import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** What one benchmark run sends. */
export interface WorkloadSpec {
  readonly batches: number;
  readonly recordsPerBatch: number;
  readonly partitionKeys: number;
  /** Bytes of each record's payload before base64, as the producer wrote it. */
  readonly payloadBytes: number;
}

const SHARD_ID = 'shardId-000000000000';
const FIRST_SEQUENCE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

// A JSON payload of exactly `bytes` bytes (at least the bare fields), naming its key and position.
const payload = (key: string, index: number, bytes: number): string => {
  const bare = JSON.stringify({ key, index, pad: '' });
  return JSON.stringify({ key, index, pad: 'x'.repeat(Math.max(0, bytes - bare.length)) });
};

const record = (key: string, index: number, sequence: bigint, payloadBytes: number): KinesisStreamRecord => ({
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey: key,
    sequenceNumber: sequence.toString(),
    data: Buffer.from(payload(key, index, payloadBytes)).toString('base64'),
    approximateArrivalTimestamp: 1_732_000_000.123,
  },
  eventSource: 'aws:kinesis',
  eventVersion: '1.0',
  eventID: `${SHARD_ID}:${sequence}`,
  eventName: 'aws:kinesis:record',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/forwarder',
  awsRegion: 'eu-west-1',
  eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
});

/**
 * Builds the batches of a workload as Lambda would deliver them from one shard: records spread round-robin over
 * the partition keys, sequence numbers increasing across all batches. Each event is returned as its JSON text,
 * so a consumer can parse it per invocation as the Lambda runtime does. `firstIndex` continues the sequence of an
 * earlier call.
 */
export const buildBatches = (spec: WorkloadSpec, firstIndex = 0): string[] => {
  const events: string[] = [];
  let index = firstIndex;
  for (let batch = 0; batch < spec.batches; batch += 1) {
    const records: KinesisStreamRecord[] = [];
    for (let n = 0; n < spec.recordsPerBatch; n += 1) {
      const key = `key-${index % spec.partitionKeys}`;
      records.push(record(key, index, FIRST_SEQUENCE + BigInt(index), spec.payloadBytes));
      index += 1;
    }
    events.push(JSON.stringify({ Records: records } satisfies KinesisStreamEvent));
  }
  return events;
};

/**
 * The largest payload per record that keeps one batch of `records` records within `eventBytes` of event JSON
 * (Lambda's 6 MB invocation payload limit for the maximum-size batch).
 */
export const payloadBytesForEvent = (eventBytes: number, records: number): number => {
  const [empty] = buildBatches({ batches: 1, recordsPerBatch: records, partitionKeys: 20, payloadBytes: 0 });
  const overhead = Buffer.byteLength(empty ?? '');
  // base64 turns every 3 payload bytes into 4 characters; the bare payload fields are already in the overhead.
  const dataChars = Math.floor((eventBytes - overhead) / records / 4) * 4;
  const bare = Buffer.byteLength(JSON.stringify({ key: 'key-00', index: records, pad: '' }));
  return Math.max(bare, (dataChars / 4) * 3);
};
