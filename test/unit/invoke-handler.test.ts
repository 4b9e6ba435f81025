import type { KinesisStreamEvent } from 'aws-lambda';
import { invocationContext } from '../../src/local/invocation-context';
import { createInvoker } from '../../src/local/invoke-handler';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const identity = { functionName: 'fn', region: 'eu-west-1', account: '123456789012' };
const event = (): KinesisStreamEvent => kinesisEvent([kinesisRecord()]);

describe('createInvoker', () => {
  it('hands back what the function returned, or what it threw', async () => {
    const answers = createInvoker(async () => ({ batchItemFailures: [] }));
    const throws = createInvoker(async () => {
      throw new Error('broken');
    });

    await expect(answers.invoke(event(), invocationContext(identity, 5000), 5000)).resolves.toEqual({
      kind: 'returned',
      response: { batchItemFailures: [] },
    });
    await expect(throws.invoke(event(), invocationContext(identity, 5000), 5000)).resolves.toEqual({
      kind: 'threw',
      error: new Error('broken'),
    });
  });

  it('reports a timeout when the function does not answer in time', async () => {
    let release = () => {};
    const invoker = createInvoker(() => new Promise((resolve) => (release = () => resolve({}))));

    const outcome = await invoker.invoke(event(), invocationContext(identity, 200), 200);
    release();

    expect(outcome).toEqual({ kind: 'timed-out', timeoutMs: 200 });
  });

  it('runs one invocation at a time, like one Lambda instance', async () => {
    let running = 0;
    let peak = 0;
    const invoker = createInvoker(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return {};
    });

    await Promise.all(
      Array.from({ length: 4 }, () => invoker.invoke(event(), invocationContext(identity, 5000), 5000)),
    );

    expect(peak).toBe(1);
  });

  it('gives the function a context whose remaining time counts down from the timeout', async () => {
    let clock = 1_000_000;
    const context = invocationContext(identity, 3000, () => clock);
    clock += 1200;

    expect(context.getRemainingTimeInMillis()).toBe(1800);
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:fn');
    clock += 5000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });
});
