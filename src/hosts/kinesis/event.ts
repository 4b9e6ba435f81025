import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** Where records come from, as Lambda names it in every event record. */
export interface EventSource {
  readonly streamArn: string;
  readonly region: string;
  /** The role Lambda would invoke the function with. */
  readonly invokeIdentityArn: string;
}

/** The region and account of a Kinesis stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
export const parseStreamArn = (arn: string): { region: string; account: string } => {
  const [, , , region, account] = arn.split(':');
  if (!region || !account) throw new Error(`Not a Kinesis stream ARN: "${arn}"`);
  return { region, account };
};

/** Describes the stream as the event source of a local function named `functionName`. */
export const eventSourceOf = (streamArn: string, functionName: string): EventSource => {
  const { region, account } = parseStreamArn(streamArn);
  return { streamArn, region, invokeIdentityArn: `arn:aws:iam::${account}:role/${functionName}` };
};

/** One record read with GetRecords, shaped exactly as Lambda puts it in a Kinesis event. */
export const toEventRecord = (record: _Record, shardId: string, source: EventSource): KinesisStreamRecord => {
  const sequenceNumber = record.SequenceNumber ?? '';
  const arrival = record.ApproximateArrivalTimestamp ?? new Date();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: arrival.getTime() / 1000,
      // Lambda names the encryption only for encrypted streams.
      ...(record.EncryptionType === 'KMS' ? { encryptionType: 'KMS' } : {}),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
  };
};

export const toEvent = (records: readonly KinesisStreamRecord[]): KinesisStreamEvent => ({
  Records: [...records],
});
