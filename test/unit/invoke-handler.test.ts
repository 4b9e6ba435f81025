import type { KinesisStreamEvent } from 'aws-lambda';
import { createInvoker, type InvokeOptions } from '../../src/hosts/invoker';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import {
  type InvocationReport,
  publishInvocationReport,
} from '../../src/services/observability/invocation-report';
import { invocationReport } from '../helpers/invocation-report';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const identity = { functionName: 'fn', region: 'eu-west-1', account: '123456789012' };
const event = (): KinesisStreamEvent => kinesisEvent([kinesisRecord()]);
const options = (timeoutMs: number, signal?: AbortSignal): InvokeOptions => ({
  timeoutMs,
  context: () => createLambdaContext({ timeoutMs, identity }),
  ...(signal ? { signal } : {}),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createInvoker', () => {
  it('hands back what the function returned, or what it threw', async () => {
    const answers = createInvoker(async () => ({ batchItemFailures: [] }));
    const throws = createInvoker(async () => {
      throw new Error('broken');
    });

    await expect(answers.invoke(event(), options(5000))).resolves.toEqual({
      kind: 'returned',
      response: { batchItemFailures: [] },
    });
    await expect(throws.invoke(event(), options(5000))).resolves.toEqual({
      kind: 'threw',
      error: new Error('broken'),
    });
  });

  it('reports a timeout when the function does not answer in time', async () => {
    let release = () => {};
    const invoker = createInvoker(() => new Promise((resolve) => (release = () => resolve({}))));

    const outcome = await invoker.invoke(event(), options(200));
    release();

    expect(outcome).toEqual({ kind: 'timed-out', timeoutMs: 200 });
  });

  it.each([1, 3])('runs at most %i invocation(s) at a time', async (instances) => {
    let running = 0;
    let peak = 0;
    const invoker = createInvoker(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(20);
      running -= 1;
      return {};
    }, instances);

    await Promise.all(Array.from({ length: 6 }, () => invoker.invoke(event(), options(5000))));

    expect(peak).toBe(instances);
  });

  it('starts the remaining time when the invocation starts, not while it waits for the instance', async () => {
    const remaining: number[] = [];
    const invoker = createInvoker(async (_event, context) => {
      remaining.push(context.getRemainingTimeInMillis());
      await sleep(300);
      return {};
    });

    await Promise.all([invoker.invoke(event(), options(5000)), invoker.invoke(event(), options(5000))]);

    expect(remaining).toHaveLength(2);
    expect(remaining.every((ms) => ms > 4900)).toBe(true);
  });

  it('calls off an invocation still waiting for the instance once stopped', async () => {
    const calls: number[] = [];
    const invoker = createInvoker(async () => {
      calls.push(Date.now());
      await sleep(100);
      return {};
    });
    const controller = new AbortController();

    const first = invoker.invoke(event(), options(5000, controller.signal));
    const second = invoker.invoke(event(), options(5000, controller.signal));
    while (calls.length === 0) await sleep(5);
    controller.abort();

    await expect(first).resolves.toEqual({ kind: 'returned', response: {} });
    await expect(second).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('hands each invocation the report that names it, whichever invocation published it', async () => {
    // Arrange: a function whose invocations each hand their report to the one-record invocation, which publishes
    // both in its own async context before either returns.
    const reportOf = (received: number, awsRequestId: string): InvocationReport =>
      invocationReport({ awsRequestId, received, failed: received });
    const reports: InvocationReport[] = [];
    const published = Promise.withResolvers<void>();
    const invoker = createInvoker(async (event, context) => {
      const received = event.Records.length;
      reports.push(reportOf(received, context.awsRequestId));
      if (received === 1) {
        while (reports.length < 2) await sleep(5);
        for (const report of reports) publishInvocationReport(report);
        published.resolve();
      }
      await published.promise;
      return {};
    }, 2);

    // Act
    const [one, two, none] = await Promise.all([
      invoker.invoke(kinesisEvent([kinesisRecord()]), options(5000)),
      invoker.invoke(kinesisEvent([kinesisRecord(), kinesisRecord()]), options(5000)),
      createInvoker(async () => ({})).invoke(event(), options(5000)),
    ]);

    // Assert
    expect(one).toMatchObject({ kind: 'returned', response: {}, report: { received: 1 } });
    expect(two).toMatchObject({ kind: 'returned', response: {}, report: { received: 2 } });
    expect(none).toStrictEqual({ kind: 'returned', response: {} });
  });

  it('gives the function a context whose remaining time counts down from the timeout', async () => {
    let clock = 1_000_000;
    const context = createLambdaContext({ timeoutMs: 3000, identity, now: () => clock });
    clock += 1200;

    expect(context.getRemainingTimeInMillis()).toBe(1800);
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:fn');
    clock += 5000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });
});
