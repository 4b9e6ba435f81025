import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

describe('retries within the invocation', () => {
  const receiver = useReceiver();

  it.each([503, 500, 429, 408])('retries a %i and delivers on the next attempt', async (status) => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '5' });
    receiver.respond = (_request, index) => ({ status: index === 0 ? status : 200 });
    const record = kinesisRecord();

    const response = await handler(kinesisEvent([record]), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      record.eventID,
      record.eventID,
    ]);
  });

  it('retries after a connection reset', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '5' });
    receiver.respond = (_request, index) => (index === 0 ? { reset: true } : { status: 200 });

    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
  });

  it.each([400, 401, 404, 409, 422, 301])('does not retry a final %i', async (status) => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '5' });
    receiver.respond = () => ({
      status,
      headers: status === 301 ? { location: '/elsewhere' } : ({} as Record<string, string>),
    });
    const record = kinesisRecord();

    const response = await handler(kinesisEvent([record]), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up after FORWARD_MAX_ATTEMPTS transient failures', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_MAX_ATTEMPTS: '4',
      FORWARD_BACKOFF_BASE_MS: '2',
    });
    receiver.respond = () => ({ status: 503 });
    const record = kinesisRecord();

    const response = await handler(kinesisEvent([record]), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(receiver.requests).toHaveLength(4);
  });

  it('waits as long as Retry-After (seconds) says before the next attempt', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '1' });
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : {};

    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    const [first, second] = receiver.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '1' });
    receiver.respond = (_request, index) =>
      index === 0
        ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } }
        : {};

    await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    const [first, second] = receiver.requests;
    // HTTP dates have whole-second precision.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('reports the record at once when Retry-After does not fit in the time left', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEADLINE_MARGIN_MS: '500' });
    receiver.respond = () => ({ status: 503, headers: { 'retry-after': '120' } });
    const record = kinesisRecord();
    const started = Date.now();

    const response = await handler(kinesisEvent([record]), lambdaContext(10_000));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(receiver.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(9_500);
  });
});
