import { createInvoker, startInvokeStore } from '../../src/hosts/invoker';
import { captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent, kinesisRecord } from '../helpers/records';

const TOKEN = 'Bearer tok-9f8e7d6c5b4a';

describe('logs', () => {
  const receiver = useReceiver();

  it('never contain the token, at any level, whatever fails', async () => {
    // Arrange: debug logging, and every kind of failure the HTTP client can report.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_AUTH_TOKEN: TOKEN,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      FORWARD_ORDERING: 'none',
      FORWARD_BACKOFF_BASE_MS: '1',
      FORWARD_MAX_ATTEMPTS: '2',
    });
    receiver.respond = (_request, index) =>
      [{ status: 401, body: TOKEN }, { reset: true }, { status: 500 }, { status: 200 }][index % 4] ?? {};
    // Act
    const output = await captureOutputOf(async () => {
      await handler(kinesisEvent(interleavedRecords(12, 12)), lambdaContext());
      await handler({ Records: [{ nonsense: TOKEN }] }, lambdaContext()).catch(() => undefined);
    });

    // Assert
    expect(output.lines().length).toBeGreaterThan(3);
    expect(output.text()).not.toContain('tok-9f8e7d6c5b4a');
  });

  it('leave record payloads out of the input log by default', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const record = kinesisRecord({ payload: { email: 'someone@example.com' } });
    const output = await captureOutputOf(() => handler(kinesisEvent([record]), lambdaContext()));

    const input = output.lines().find((line) => line.message === 'input/output' && 'event' in line);
    expect(input).toBeDefined();
    expect(JSON.stringify(input)).toContain(record.kinesis.sequenceNumber);
    expect(output.text()).not.toContain(record.kinesis.data);
  });

  it('include payloads in the debug input log when FORWARD_LOG_PAYLOADS=true', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      FORWARD_LOG_PAYLOADS: 'true',
    });
    const record = kinesisRecord();
    const output = await captureOutputOf(() => handler(kinesisEvent([record]), lambdaContext()));

    expect(output.text()).toContain(record.kinesis.data);
  });

  it('write one summary line per invocation with the totals', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      FORWARD_BACKOFF_BASE_MS: '1',
    });
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 503 } : index === 1 ? { status: 400 } : {};
    const records = [kinesisRecord({ partitionKey: 'a' }), kinesisRecord({ partitionKey: 'a' })];
    const output = await captureOutputOf(() => handler(kinesisEvent(records), lambdaContext()));

    const summaries = output.lines().filter((line) => line.message === 'batch forwarded');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ received: 2, delivered: 0, failed: 1, heldBack: 1, retries: 1 });
    expect(summaries[0]?.durationMs).toEqual(expect.any(Number));
    expect(summaries[0]?.function_request_id).toEqual(expect.any(String));
  });

  it('write one warning per cause of failure, with its reason, attempts, count and first event IDs', async () => {
    // Arrange: 30 records of 30 keys; 24 are refused with a 400, 6 with a 422.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      FORWARD_ORDERING: 'none',
    });
    const records = interleavedRecords(30, 30);
    const unprocessable = new Set(records.slice(0, 6).map((record) => record.kinesis.sequenceNumber));
    receiver.respond = (request) => ({
      status: unprocessable.has(JSON.parse(request.body).sequenceNumber) ? 422 : 400,
    });

    // Act
    const output = await captureOutputOf(() => handler(kinesisEvent(records), lambdaContext()));

    // Assert: two lines, the most frequent cause first, each naming at most 10 of its own records.
    const warnings = output.lines().filter((line) => line.level === 'WARN');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'records not delivered',
        reason: 'HTTP 400',
        attempts: 1,
        records: 24,
      }),
      expect.objectContaining({
        message: 'records not delivered',
        reason: 'HTTP 422',
        attempts: 1,
        records: 6,
      }),
    ]);
    const idsOf = (from: number, to: number) => records.slice(from, to).map((record) => record.eventID);
    const [refused, unprocessed] = warnings.map((line) => line.eventIDs as string[]);
    expect(refused).toHaveLength(10);
    expect(idsOf(6, 30)).toEqual(expect.arrayContaining(refused ?? []));
    expect([...(unprocessed ?? [])].sort()).toEqual(idsOf(0, 6).sort());
  });

  it('log the invalid event error through the error logger', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
    const output = await captureOutputOf(() =>
      handler({ Records: 'nope' }, lambdaContext()).catch(() => undefined),
    );

    const error = output.lines().find((line) => line.message === 'invocation failed');
    expect(JSON.stringify(error)).toContain('event.Records must be an array');
  });

  it('never show the payload of an invalid record, nor more than a bounded part of any other value', async () => {
    // Arrange: one record whose data is JSON instead of base64, one with a 200 KB eventSource.
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
    const record = kinesisRecord();
    const event = {
      Records: [
        { ...record, kinesis: { ...record.kinesis, data: '{"ssn":"123-45-6789"}' } },
        { ...kinesisRecord(), eventSource: 'x'.repeat(200_000) },
      ],
    };

    // Act
    let thrown: unknown;
    const output = await captureOutputOf(() =>
      handler(event, lambdaContext()).catch((error: unknown) => {
        thrown = error;
      }),
    );

    // Assert: the error line names both problems; neither it nor the thrown error carries the payload.
    const error = output.lines().find((line) => line.message === 'invocation failed');
    expect(JSON.stringify(error)).toContain('Records[0].kinesis.data must be a base64 string');
    expect(JSON.stringify(error)).toContain('Records[1].eventSource must be \\"aws:kinesis\\"');
    expect(output.text()).not.toContain('123-45-6789');
    expect(output.text().length).toBeLessThan(5000);
    expect(`${(thrown as Error).message}${(thrown as Error).stack}`).not.toContain('123-45-6789');
  });

  it('leave payloads out of the event POWERTOOLS_LOGGER_LOG_EVENT=true logs at INFO', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    });
    const record = kinesisRecord({ payload: { email: 'someone@example.com' } });

    const output = await captureOutputOf(() => handler(kinesisEvent([record]), lambdaContext()));

    const input = output.lines().find((line) => 'event' in line);
    expect(input).toMatchObject({ level: 'INFO', message: 'input/output' });
    expect(JSON.stringify(input)).toContain(record.kinesis.sequenceNumber);
    expect(output.text()).not.toContain(record.kinesis.data);
  });

  it.each([
    [
      'a Records object instead of an array',
      { Records: { 0: { kinesis: { data: 'c3NuPTEyMy00NS02Nzg5' } } } },
    ],
    ['a record without a kinesis object', { Records: [{ body: 'c3NuPTEyMy00NS02Nzg5' }] }],
    ['no Records at all', { body: 'c3NuPTEyMy00NS02Nzg5' }],
  ])('leave out everything of an event with %s at DEBUG', async (_shape, event) => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'DEBUG' });

    const output = await captureOutputOf(() => handler(event, lambdaContext()).catch(() => undefined));

    expect(output.lines().some((line) => line.message === 'input/output' && 'event' in line)).toBe(true);
    expect(output.lines().some((line) => line.message === 'invocation failed')).toBe(true);
    expect(output.text()).not.toContain('c3NuPTEyMy00NS02Nzg5');
  });

  it("carry each invocation's own request id when the local mode runs invocations at once", async () => {
    // Arrange: every record fails after a delay, so both invocations are in flight before either reports; the
    // local mode runs them as Lambda Managed Instances do, each in its own InvokeStore context.
    await startInvokeStore();
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      FORWARD_MAX_ATTEMPTS: '1',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
      AWS_LAMBDA_MAX_CONCURRENCY: '2',
    });
    const invoker = createInvoker(handler, 2);
    receiver.respond = () => ({ status: 500, delayMs: 200 });
    const first = { context: lambdaContext(), records: [kinesisRecord({ partitionKey: 'first' })] };
    const second = {
      context: lambdaContext(),
      records: [kinesisRecord({ partitionKey: 'second' }), kinesisRecord({ partitionKey: 'second-too' })],
    };

    // Act
    const output = await captureOutputOf(() =>
      Promise.all(
        [first, second].map(({ records, context }) =>
          invoker.invoke(kinesisEvent(records), { timeoutMs: 30_000, context: () => context }),
        ),
      ),
    );

    // Assert: the receiver saw both batches at once, and each line names the invocation it belongs to.
    expect(receiver.maxInFlight()).toBe(3);
    const lines = output.lines();
    for (const { context, records } of [first, second]) {
      const ownId = { function_request_id: context.awsRequestId };
      const summary = lines.filter(
        (line) => line.message === 'batch forwarded' && line.received === records.length,
      );
      expect(summary).toEqual([expect.objectContaining(ownId)]);
      for (const record of records) {
        const failure = lines.filter(
          (line) =>
            line.message === 'records not delivered' &&
            (line.eventIDs as string[] | undefined)?.includes(record.eventID),
        );
        expect(failure).toEqual([expect.objectContaining(ownId)]);
      }
      const inputOutput = lines.filter((line) => line.message === 'input/output');
      expect(inputOutput.filter((line) => line.function_request_id === context.awsRequestId)).toHaveLength(2);
    }
  });

  it('say cold_start only on the first invocation of the container', async () => {
    // Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE; Powertools reports no cold start without it.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });

    const output = await captureOutputOf(async () => {
      await handler(kinesisEvent([kinesisRecord()]), lambdaContext());
      await handler(kinesisEvent([kinesisRecord()]), lambdaContext());
    });

    const summaries = output.lines().filter((line) => line.message === 'batch forwarded');
    expect(summaries.map((line) => line.cold_start)).toEqual([true, false]);
  });
});
