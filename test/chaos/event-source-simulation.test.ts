import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { StreamHandler } from '../../src/hosts/invoker';
import type { RetryPolicy } from '../../src/hosts/local/mapping/event-source-mapping';
import { runEventSourceMapping, type SimulationOptions } from '../helpers/event-source-simulation';
import { kinesisRecord } from '../helpers/records';

const POLICY: RetryPolicy = {
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  backoffBaseMs: 1,
  backoffMaxMs: 5,
};

const shardOf = (count: number) =>
  Array.from({ length: count }, () => kinesisRecord({ shardId: 'shardId-000000000000' }));

const failing = (...records: KinesisStreamRecord[]) => ({
  batchItemFailures: records.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
});

// A stand-in function that answers from a script, one entry per invocation, and notes what each got.
const scripted = (answers: Array<(records: KinesisStreamRecord[]) => Promise<unknown>>) => {
  const seen: KinesisStreamRecord[][] = [];
  const handler: StreamHandler = async (event: KinesisStreamEvent) => {
    seen.push(event.Records);
    const answer = answers[seen.length - 1];
    return answer ? answer(event.Records) : {};
  };
  return { handler, seen };
};

const options = (
  records: KinesisStreamRecord[],
  handler: StreamHandler,
  overrides: Partial<SimulationOptions> = {},
): SimulationOptions => ({
  shards: new Map([['shardId-000000000000', records]]),
  newInstance: () => handler,
  batchSize: 4,
  timeoutMs: 1000,
  policy: POLICY,
  maxInvocationsPerShard: 20,
  requestCount: () => 0,
  ...overrides,
});

describe('runEventSourceMapping', () => {
  it('checkpoints before the lowest failure and reads again from there, up to the batch size', async () => {
    const records = shardOf(8);
    const [, , third] = records as [KinesisStreamRecord, KinesisStreamRecord, KinesisStreamRecord];
    const fn = scripted([async () => failing(third)]);

    const result = await runEventSourceMapping(options(records, fn.handler));

    expect(fn.seen).toEqual([records.slice(0, 4), records.slice(2, 6), records.slice(6, 8)]);
    expect(result.invocations.map((i) => [i.action, i.retries, i.done.length])).toEqual([
      ['retry', 0, 2],
      ['advance', 1, 4],
      ['advance', 0, 2],
    ]);
  });

  it('retries the whole batch after an error or a timeout, and logs both', async () => {
    const records = shardOf(3);
    const fn = scripted([
      async () => {
        throw new Error('boom');
      },
      () => new Promise((resolve) => setTimeout(resolve, 400)),
    ]);

    const result = await runEventSourceMapping(options(records, fn.handler, { timeoutMs: 150 }));

    expect(fn.seen).toEqual([records, records, records]);
    expect(result.invocations.map((i) => i.outcome)).toEqual(['threw', 'timed-out', 'returned']);
    expect(result.invocations[1]?.durationMs).toBeLessThan(400);
  });

  it('reports the records it discards when retries are limited', async () => {
    const records = shardOf(2);
    const [first] = records as [KinesisStreamRecord];
    const fn = scripted([async () => failing(first), async () => failing(first)]);
    const policy = { ...POLICY, maxRetryAttempts: 1 };

    const result = await runEventSourceMapping(options(records, fn.handler, { policy }));

    expect(result.discarded).toEqual(records);
    expect(result.invocations.map((i) => i.action)).toEqual(['retry', 'discard']);
  });

  it('gives up on a shard that never gets through, instead of hanging the test', async () => {
    const records = shardOf(2);
    const always: StreamHandler = async (event) => failing(...event.Records);

    await expect(
      runEventSourceMapping(options(records, always, { maxInvocationsPerShard: 5 })),
    ).rejects.toThrow('shardId-000000000000 still had 2 record(s) to go after 5 invocations');
  });
});
