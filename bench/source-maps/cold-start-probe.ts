// Child process: one cold start of a bundle, timed in steps. Argument: the bundle's absolute path; FORWARD_URL in
// the environment is a receiver that answers 200. Steps: require() of the bundle, a first invocation that delivers
// one record, then an invocation with an event that is not Kinesis, which fails and logs the error with its stack
// (the first stack trace of the process). Replies { type: 'result', ...ColdStartMeasurement }.
import { createRequire } from 'node:module';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import type { ColdStartMeasurement } from './results';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const [bundlePath = ''] = process.argv.slice(2);
const TIMEOUT_MS = 30_000;
const record = {
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey: 'key-1',
    sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    data: Buffer.from('{"hello":"world"}').toString('base64'),
    approximateArrivalTimestamp: 1_732_000_000.123,
  },
  eventSource: 'aws:kinesis',
  eventVersion: '1.0',
  eventID: 'shardId-000000000000:49590338271490256608559692538361571095921575989136588898',
  eventName: 'aws:kinesis:record',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/forwarder',
  awsRegion: 'eu-west-1',
  eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
};

// performance.now() counts from the start of this process.
const processStartMs = performance.now();
let started = performance.now();
const { handler } = createRequire(bundlePath)(bundlePath) as { handler: Handler };
const loadMs = performance.now() - started;

started = performance.now();
const response = await handler({ Records: [record] }, createLambdaContext({ timeoutMs: TIMEOUT_MS }));
const firstInvocationMs = performance.now() - started;
if (JSON.stringify(response) !== '{"batchItemFailures":[]}') {
  throw new Error(`the first invocation did not deliver its record: ${JSON.stringify(response)}`);
}

started = performance.now();
const failed = await handler(
  { Records: [{ eventSource: 'aws:sqs' }] },
  createLambdaContext({ timeoutMs: TIMEOUT_MS }),
).then(
  () => false,
  () => true,
);
const firstErrorMs = performance.now() - started;
if (!failed) throw new Error('the invocation with an event that is not Kinesis did not fail');

const result: ColdStartMeasurement = { processStartMs, loadMs, firstInvocationMs, firstErrorMs };
// Exit explicitly: the handler keeps sockets to the receiver open.
process.send?.({ type: 'result', ...result }, () => process.exit(0));
