import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent, kinesisRecord } from '../helpers/records';

const sequenceNumbers = (records: ReturnType<typeof interleavedRecords>) =>
  records.map((record) => record.kinesis.sequenceNumber).sort();

describe('what the connection does, whatever the receiver does with it', () => {
  const receiver = useReceiver();

  it('settles an attempt answered with 101 Switching Protocols, and reports the record', async () => {
    // Arrange: the socket goes quiet after the 101; only the attempt's own handling can end it.
    receiver.respond = () => ({ upgrade: true });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_TIMEOUT_MS: '60000',
      FORWARD_DEADLINE_MARGIN_MS: '500',
    });
    const record = kinesisRecord();

    // Act
    const response = await handler(kinesisEvent([record]), lambdaContext(3000));

    // Assert: a 101 is not a delivery; it is final, like any other non-2xx status that is not transient.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] });
    expect(receiver.requests).toHaveLength(1);
  });

  it('counts a 200 whose body never ends as delivered: the status is the answer', async () => {
    receiver.respond = () => ({ status: 200, endlessBody: true });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_TIMEOUT_MS: '300' });
    const records = [kinesisRecord({ partitionKey: 'k' }), kinesisRecord({ partitionKey: 'k' })];

    const response = await handler(kinesisEvent(records), lambdaContext(5000));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(2);
  });

  it('sends again on a fresh connection when pooled keep-alive sockets went stale while idle', async () => {
    // Arrange: one invocation fills the pool; then the receiver drops every idle connection, as a load balancer's
    // idle timeout does while a Lambda container is frozen.
    receiver.respond = () => ({ status: 200, delayMs: 20 });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_MAX_ATTEMPTS: '1',
      FORWARD_BREAKER_THRESHOLD: '3',
    });
    await handler(kinesisEvent(interleavedRecords(10, 10)), lambdaContext());
    const pooled = receiver.connections();
    const records = interleavedRecords(30, 10);

    // Act: the next invocation starts before the closes are seen, as after a thaw.
    receiver.dropConnections();
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert: every record delivered with one attempt each, over new connections; the breaker did not open.
    expect(pooled).toBeGreaterThan(1);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(40);
    expect(receiver.connections()).toBeGreaterThan(pooled);
  });

  it('delivers everything to a receiver that closes after each answer without saying Connection: close', async () => {
    receiver.respond = () => ({ status: 200, closeAfter: true });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_MAX_ATTEMPTS: '1' });
    const records = interleavedRecords(100, 4);

    const response = await handler(kinesisEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(100);
  });

  it('still counts a reset on a fresh connection as a failed attempt', async () => {
    receiver.respond = () => ({ reset: true });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_MAX_ATTEMPTS: '2',
      FORWARD_BACKOFF_BASE_MS: '1',
    });
    const records = interleavedRecords(1, 1);

    const response = await handler(kinesisEvent(records), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      sequenceNumbers(records),
    );
    expect(receiver.requests).toHaveLength(2);
  });
});
