import { eventSourceOf, parseStreamArn, toEventRecord } from '../../src/hosts/kinesis/event';
import { findEventProblems } from '../../src/services/event-validation';

const arn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/events';

describe('toEventRecord', () => {
  it('shapes a GetRecords record exactly as Lambda does', () => {
    const record = toEventRecord(
      {
        SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        PartitionKey: 'user-7',
        Data: Buffer.from('{"type":"hello"}'),
        ApproximateArrivalTimestamp: new Date(1_732_000_000_123),
      },
      'shardId-000000000002',
      eventSourceOf(arn, 'kinesis-http-forwarder'),
    );

    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'user-7',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: Buffer.from('{"type":"hello"}').toString('base64'),
        approximateArrivalTimestamp: 1_732_000_000.123,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000002:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/kinesis-http-forwarder',
      awsRegion: 'eu-west-1',
      eventSourceARN: arn,
    });
    expect(findEventProblems({ Records: [record] }, 5)).toEqual([]);
  });

  it('names the encryption of a KMS-encrypted record only', () => {
    const source = eventSourceOf(arn, 'f');
    const base = {
      SequenceNumber: '1',
      PartitionKey: 'k',
      Data: new Uint8Array([1]),
      ApproximateArrivalTimestamp: new Date(),
    };

    expect(toEventRecord({ ...base, EncryptionType: 'KMS' }, 's', source).kinesis).toHaveProperty(
      'encryptionType',
      'KMS',
    );
    expect(toEventRecord({ ...base, EncryptionType: 'NONE' }, 's', source).kinesis).not.toHaveProperty(
      'encryptionType',
    );
  });
});

describe('parseStreamArn', () => {
  it('reads region and account', () => {
    expect(parseStreamArn(arn)).toEqual({ region: 'eu-west-1', account: '123456789012' });
  });

  it('rejects something else', () => {
    expect(() => parseStreamArn('events')).toThrow('Not a Kinesis stream ARN: "events"');
  });
});
