import { captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { startReceiver, useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../helpers/records';

describe('the invocation time budget', () => {
  const receiver = useReceiver(() => ({ hang: true }));

  it('returns before the Lambda timeout and reports every record when the receiver never answers', async () => {
    // Arrange: per-attempt timeout longer than the whole invocation.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_TIMEOUT_MS: '60000',
      FORWARD_DEADLINE_MARGIN_MS: '500',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
    });
    const records = interleavedRecords(20, 5);
    const timeoutMs = 2500;
    const started = Date.now();

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext(timeoutMs));

    // Assert
    expect(Date.now() - started).toBeLessThan(timeoutMs);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      records.map((r) => r.kinesis.sequenceNumber).sort(),
    );
    // One request per key was started; the rest of each key was held back behind it.
    expect(receiver.requests).toHaveLength(5);
  });

  it('fails the invocation, sending nothing, when the margin leaves it no time to send', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEADLINE_MARGIN_MS: '1000' });
    const records = interleavedRecords(3, 3);

    const invocation = handler(kinesisEvent(records), lambdaContext(1050));

    await expect(invocation).rejects.toThrow(
      /^FORWARD_DEADLINE_MARGIN_MS \(1000 ms\) leaves no time to send: the invocation had \d+ ms left/,
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('answers with every record reported, before the timeout, when the margin is the least allowed', async () => {
    // Arrange: a large batch whose every record is still waiting at the deadline must be settled in the margin.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_DEADLINE_MARGIN_MS: '500',
      FORWARD_ORDERING: 'none',
      FORWARD_BREAKER_THRESHOLD: '0',
    });
    const records = interleavedRecords(2000, 2000);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext(1500));

    // Assert: a batch response (not Middy's timeout error) that lists every record.
    expect(response.batchItemFailures).toHaveLength(2000);
  });

  it('times out a slow attempt after FORWARD_TIMEOUT_MS and retries it', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_TIMEOUT_MS: '200',
      FORWARD_BACKOFF_BASE_MS: '1',
    });
    receiver.respond = (_request, index) => (index === 0 ? { hang: true } : { status: 200 });

    const response = await handler(kinesisEvent(interleavedRecords(1, 1)), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
  });
});

describe('an endpoint that is down', () => {
  it('stops starting requests after a run of consecutive transient failures', async () => {
    // Arrange: a receiver that answers 503 to everything.
    const receiver = await startReceiver(() => ({ status: 503 }));
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_ORDERING: 'none',
      FORWARD_CONCURRENCY: '2',
      FORWARD_BREAKER_THRESHOLD: '5',
      FORWARD_BACKOFF_BASE_MS: '1',
    });
    const records = interleavedRecords(100, 100);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());
    await receiver.close();

    // Assert: the breaker opened after 5 failures; at most the requests already in flight followed.
    expect(response.batchItemFailures).toHaveLength(100);
    expect(receiver.requests.length).toBeLessThanOrEqual(5 + 2);
  });

  it('fails fast when nothing listens on the port: the breaker stops the batch after the first failures', async () => {
    // Arrange
    const receiver = await startReceiver();
    const { url } = receiver;
    await receiver.close();
    const handler = loadHandler({
      FORWARD_URL: url,
      FORWARD_BACKOFF_BASE_MS: '1',
      FORWARD_CONCURRENCY: '5',
      FORWARD_BREAKER_THRESHOLD: '5',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });

    // Act
    let response: Awaited<ReturnType<typeof handler>> | undefined;
    const output = await captureOutputOf(async () => {
      response = await handler(kinesisEvent(interleavedRecords(50, 10)), lambdaContext());
    });

    // Assert: 50 reported; after 5 refused connections (and the few already started) nothing more was tried.
    expect(response?.batchItemFailures).toHaveLength(50);
    const summary = output.lines().find((line) => line.message === 'batch forwarded');
    expect(summary).toMatchObject({ circuitOpen: true, received: 50 });
    const attempted = Number(summary?.failed);
    expect(attempted).toBeLessThanOrEqual(5 + 5);
    expect(Number(summary?.skipped) + Number(summary?.heldBack)).toBe(50 - attempted);
  });
});
