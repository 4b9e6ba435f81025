import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const sqsEvent = {
  Records: [
    {
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: 'test',
      attributes: {},
      messageAttributes: {},
      md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:my-queue',
      awsRegion: 'us-east-2',
    },
  ],
};

const withoutData = () => {
  const record = kinesisRecord();
  const { data: _data, ...kinesis } = record.kinesis;
  return { Records: [{ ...record, kinesis }] };
};

const withBadBase64 = () => {
  const record = kinesisRecord();
  return { Records: [{ ...record, kinesis: { ...record.kinesis, data: '{"not":"base64"}' } }] };
};

describe('events that are not Kinesis stream events', () => {
  const receiver = useReceiver();

  it.each([
    ['a string', 'hello', /the event must be an object with a Records array, got "hello"/],
    ['null', null, /got null/],
    ['an object without Records', { foo: 1 }, /event\.Records must be an array/],
    [
      'an SQS event',
      sqsEvent,
      /Records\[0\]\.eventSource must be "aws:kinesis", got "aws:sqs" \(an event from aws:sqs, not Kinesis\)/,
    ],
    ['a record without kinesis.data', withoutData(), /Records\[0\]\.kinesis\.data must be a base64 string/],
    ['data that is not base64', withBadBase64(), /Records\[0\]\.kinesis\.data must be a base64 string/],
  ])('rejects %s with an error that says what is wrong, and sends nothing', async (_name, event, message) => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });

    await expect(handler(event, lambdaContext())).rejects.toThrow(message);
    expect(receiver.requests).toHaveLength(0);
  });

  it('sends nothing of a batch in which only one record is invalid', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const good = kinesisRecord();
    const bad = { ...kinesisRecord(), kinesis: { ...kinesisRecord().kinesis, sequenceNumber: 'latest' } };

    await expect(handler({ Records: [good, bad] }, lambdaContext())).rejects.toThrow(
      /Records\[1\]\.kinesis\.sequenceNumber must be a string of digits, got "latest"/,
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('sends nothing of a batch with an eventID that cannot be the Idempotency-Key header', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_ORDERING: 'none' });
    const bad = { ...kinesisRecord(), eventID: 'shardId-000000000000:1\u2713' };

    await expect(
      handler({ Records: [kinesisRecord(), bad, kinesisRecord()] }, lambdaContext()),
    ).rejects.toThrow(
      /Records\[1\]\.eventID cannot be sent as the Idempotency-Key header: it contains a character/,
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('forwards a tumbling-window event, whose extra fields do not reach the body', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const record = kinesisRecord();
    const event = {
      ...kinesisEvent([record]),
      window: { start: '2020-12-09T07:04:00Z', end: '2020-12-09T07:06:00Z' },
      state: { count: 1 },
      shardId: 'shardId-000000000006',
      eventSourceARN: record.eventSourceARN,
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    };

    const response = await handler(event, lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual(record.kinesis);
  });

  it('forwards extra fields such as encryptionType untouched', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    const record = kinesisRecord();
    const kinesis = { ...record.kinesis, encryptionType: 'KMS' };

    await handler({ Records: [{ ...record, kinesis }] }, lambdaContext());

    expect(receiver.requests[0]?.body).toBe(JSON.stringify(kinesis));
  });
});
