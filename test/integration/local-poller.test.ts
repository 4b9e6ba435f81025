import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, ListShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createInvoker, type StreamHandler } from '../../src/hosts/invoker';
import { type LocalConfig, parseLocalConfig } from '../../src/hosts/local/config';
import { formatStatus } from '../../src/hosts/local/console/status-line';
import { type StreamPoller, startStreamPoller } from '../../src/hosts/local/mapping/stream-poller';
import { loadHandler } from '../helpers/load-handler';
import {
  recordingPrinter,
  startTestStream,
  type TestStream,
  temporaryDir,
  waitFor,
  waitForAsync,
} from '../helpers/local-stream';
import { startReceiver, type TestReceiver } from '../helpers/receiver';
import { decodePayload } from '../helpers/records';

interface Payload {
  key: string;
  index: number;
}

const payloadOf = (body: string) => decodePayload(body) as Payload;
const idOf = (body: string) => {
  const { key, index } = payloadOf(body);
  return `${key}#${index}`;
};

/** `count` records spread round-robin over `keys` keys; each payload names its key and position. */
const interleaved = (count: number, keys: number, from = 0) =>
  Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const key = `key-${index % keys}`;
    return { key, payload: { key, index } };
  });

const checkpointsIn = (file: string) =>
  (
    JSON.parse(readFileSync(file, 'utf8')) as {
      shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
    }
  ).shards;

describe('local mode: the poller against kinesalite', () => {
  let stream: TestStream;
  let receiver: TestReceiver;
  let dir: { path: string; remove: () => Promise<void> };
  let running: StreamPoller[];

  const files = () => ({
    checkpointFile: join(dir.path, 'checkpoints.json'),
    onFailureFile: join(dir.path, 'failed.jsonl'),
  });

  // The real function, loaded as on Lambda, optionally watched on its way in.
  const startPoller = async (
    settings: Partial<LocalConfig> = {},
    env: Record<string, string> = {},
    watch?: (event: KinesisStreamEvent) => void,
  ) => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_BACKOFF_BASE_MS: '5', ...env });
    const watched: StreamHandler = (event, context) => {
      watch?.(event);
      return handler(event, context);
    };
    const print = recordingPrinter();
    const config: LocalConfig = {
      ...parseLocalConfig({ KINESIS_ENDPOINT: stream.endpoint, STREAM_NAME: stream.streamName }),
      startingPosition: 'TRIM_HORIZON',
      retry: { maxRetryAttempts: -1, maxRecordAgeSeconds: -1, backoffBaseMs: 20, backoffMaxMs: 200 },
      batchSize: 100,
      pollIntervalMs: 50,
      invocationTimeoutMs: 10_000,
      ...files(),
      ...settings,
    };
    const poller = await startStreamPoller({
      client: stream.client,
      config,
      functionName: 'kinesis-http-forwarder',
      invoker: createInvoker(watched),
      print,
      receiver: receiver.url,
      minGetRecordsIntervalMs: 20,
    });
    running.push(poller);
    return { poller, print };
  };

  const delivered = () => receiver.requests.map((request) => idOf(request.body));

  beforeEach(async () => {
    running = [];
    dir = await temporaryDir();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const poller of running) await poller.stop(1000);
    await receiver.close();
    await stream.close();
    await dir.remove();
  });

  it('forwards every record of several shards, each key in order, as Lambda events', async () => {
    stream = await startTestStream(4);
    const records = interleaved(240, 12);
    const written = await stream.put(records);
    const { poller } = await startPoller({ batchSize: 25 });

    await waitFor('240 deliveries', () => receiver.requests.length >= 240);
    await poller.stop(5000);

    expect([...delivered()].sort()).toEqual(
      records.map(({ key, payload }) => `${key}#${payload.index}`).sort(),
    );
    for (let key = 0; key < 12; key += 1) {
      const order = receiver.requests.map((r) => payloadOf(r.body)).filter((p) => p.key === `key-${key}`);
      expect(order.map((p) => p.index)).toEqual([...order.map((p) => p.index)].sort((a, b) => a - b));
    }
    expect(new Set(written.map((w) => w.shardId)).size).toBe(4);
    // Each request carries the record as Lambda delivered it, with its event ID as idempotency key.
    for (const [position, request] of receiver.requests.entries()) {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const where = written.find((w) => w.sequenceNumber === body.sequenceNumber);
      expect(where).toBeDefined();
      expect(request.headers['idempotency-key']).toBe(`${where?.shardId}:${where?.sequenceNumber}`);
      expect(body).toEqual({
        kinesisSchemaVersion: '1.0',
        partitionKey: where?.partitionKey,
        sequenceNumber: where?.sequenceNumber,
        data: expect.any(String),
        approximateArrivalTimestamp: expect.any(Number),
      });
      expect(Math.abs((body.approximateArrivalTimestamp as number) - Date.now() / 1000)).toBeLessThan(120);
      if (position > 5) break;
    }
    // The checkpoint of each shard is its last record.
    const lastPerShard = new Map(written.map((w) => [w.shardId, w.sequenceNumber]));
    const checkpoints = checkpointsIn(files().checkpointFile);
    for (const [shardId, sequenceNumber] of lastPerShard) {
      expect(checkpoints[shardId]?.sequenceNumber).toBe(sequenceNumber);
    }
    expect(poller.stats.delivered).toBe(240);
  });

  it('holds a failing record back and retries from it, checkpointed just before it', async () => {
    stream = await startTestStream(1);
    // a0 b0 a1 b1 a2 b2; a1 is refused (a final 400) twice, then accepted.
    const records = [0, 1, 2].flatMap((index) => [
      { key: 'a', payload: { key: 'a', index } },
      { key: 'b', payload: { key: 'b', index } },
    ]);
    const written = await stream.put(records);
    const sequenceOf = (position: number) => written[position]?.sequenceNumber;
    let refusals = 0;
    const checkpointDuringRetry: (string | undefined)[] = [];
    receiver.respond = (request) => {
      if (idOf(request.body) !== 'a#1') return { status: 200 };
      if (refusals > 0) {
        checkpointDuringRetry.push(
          checkpointsIn(files().checkpointFile)['shardId-000000000000']?.sequenceNumber,
        );
      }
      refusals += 1;
      return { status: refusals <= 2 ? 400 : 200 };
    };
    const invocations: string[][] = [];
    const { poller, print } = await startPoller({}, {}, (event) =>
      invocations.push(event.Records.map((r) => idOf(JSON.stringify(r.kinesis)))),
    );

    await waitFor('a#2 delivered', () => delivered().includes('a#2'));
    await waitFor('the last checkpoint', () => poller.stats.delivered === 6);
    await poller.stop(5000);

    expect(invocations).toEqual([
      ['a#0', 'b#0', 'a#1', 'b#1', 'a#2', 'b#2'],
      ['a#1', 'b#1', 'a#2', 'b#2'],
      ['a#1', 'b#1', 'a#2', 'b#2'],
    ]);
    // Lambda checkpoints before the lowest failure: after b0.
    expect(checkpointDuringRetry).toEqual([sequenceOf(1), sequenceOf(1)]);
    // Nothing of key a overtook a1: a2 went out only after a1 was accepted.
    const keyA = receiver.requests.filter((r) => payloadOf(r.body).key === 'a').map((r) => idOf(r.body));
    expect(keyA).toEqual(['a#0', 'a#1', 'a#1', 'a#1', 'a#2']);
    expect(checkpointsIn(files().checkpointFile)['shardId-000000000000']?.sequenceNumber).toBe(sequenceOf(5));
    // Each record counts once as delivered; the four records invoked again count at each of the two retries.
    expect(poller.stats).toMatchObject({ delivered: 6, retried: 8, discarded: 0, heldBack: 0 });
    // One line per cause and one per retry, saying how many records wait behind the failed one (a2 behind a1).
    const refused = `[local] shardId-000000000000: 1 record not delivered to ${receiver.url}: HTTP 400`;
    const retry = (n: number) =>
      `[local] shardId-000000000000: retry ${n} of 4 records in ${n === 1 ? 20 : 40} ms (1 held back behind a failed record)`;
    expect(print.lines).toEqual([refused, retry(1), refused, retry(2)]);
  });

  it('shows on the status line what a batch stuck in retries holds back and how old it is, and what got through', async () => {
    // Arrange: a0 b0 a1 a2 on one shard; a0 is refused until the receiver recovers, so a1 and a2 wait behind it and
    // the whole batch is retried (b0 too: Lambda resumes at the lowest failed record).
    stream = await startTestStream(1);
    await stream.put([
      { key: 'a', payload: { key: 'a', index: 0 } },
      { key: 'b', payload: { key: 'b', index: 0 } },
      { key: 'a', payload: { key: 'a', index: 1 } },
      { key: 'a', payload: { key: 'a', index: 2 } },
    ]);
    let down = true;
    receiver.respond = (request) => ({ status: down && idOf(request.body) === 'a#0' ? 503 : 200 });
    const arrivals: number[] = [];
    const { poller } = await startPoller({}, { FORWARD_MAX_ATTEMPTS: '1' }, (event) =>
      arrivals.push((event.Records[0]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000),
    );
    const shard = () => poller.stats.shards.get('shardId-000000000000');

    // Act: watch it retry twice, then let the receiver recover.
    await waitFor('two retries', () => poller.stats.retried >= 8);
    const oldest = arrivals[0] ?? 0;
    const stuck = formatStatus(poller.stats, oldest + 65_000);
    const retriesWhileStuck = poller.stats.retried;
    const invocationsWhileStuck = poller.stats.invocations;
    down = false;
    await waitFor('all four delivered', () => poller.stats.delivered === 4);
    await poller.stop(5000);

    // Assert: while stuck, nothing delivered, 2 held back, and the shard 65 s behind (its oldest record's age), not
    // the 0 ms the last read said of the tip; every retry counted the 4 records it sent again.
    expect(stuck).toMatch(
      /^\[status\] delivered 0, retried \d+, held back 2, discarded 0, duplicates suppressed \d+ \| concurrency \d+ \| behind: 0 65\.0s \(retrying 4 records for \d/,
    );
    expect(retriesWhileStuck % 4).toBe(0);
    expect(retriesWhileStuck).toBe(4 * (invocationsWhileStuck - 1));
    expect(shard()?.retrying).toBeUndefined();
    // b0, delivered by the first invocation, was not sent again by the retries: the ledger suppressed it each time.
    expect(formatStatus(poller.stats)).toMatch(
      /^\[status\] delivered 4, retried \d+, held back 0, discarded 0, duplicates suppressed [1-9]\d* \| concurrency \d+ \| behind: 0 \d+ms$/,
    );
    expect(receiver.requests.filter((request) => idOf(request.body) === 'b#0')).toHaveLength(1);
  });

  it('retries from the lowest failed record, reading again from there as Lambda does: later records come along', async () => {
    // Arrange: six records of six keys; the second is refused once.
    stream = await startTestStream(1);
    await stream.put(interleaved(6, 6));
    let refused = false;
    receiver.respond = (request) => {
      if (idOf(request.body) !== 'key-1#1' || refused) return { status: 200 };
      refused = true;
      return { status: 400 };
    };
    const invocations: string[][] = [];

    // Act
    const { poller } = await startPoller({ batchSize: 3 }, {}, (event) =>
      invocations.push(event.Records.map((r) => idOf(JSON.stringify(r.kinesis)))),
    );
    await waitFor('all six', () => poller.stats.delivered === 6);
    await poller.stop(5000);

    // Assert: the retry is a new read of up to 3 records from key-1#1, so key-3#3 joins it.
    expect(invocations).toEqual([
      ['key-0#0', 'key-1#1', 'key-2#2'],
      ['key-1#1', 'key-2#2', 'key-3#3'],
      ['key-4#4', 'key-5#5'],
    ]);
  });

  it('resumes from the checkpoint file after a restart: nothing skipped, nothing sent twice', async () => {
    stream = await startTestStream(2);
    await stream.put(interleaved(20, 5));
    const first = await startPoller();
    await waitFor('the first 20', () => first.poller.stats.delivered === 20);
    await first.poller.stop(5000);

    await stream.put(interleaved(10, 5, 20));
    const second = await startPoller();
    await waitFor('the next 10', () => second.poller.stats.delivered === 10);
    await second.poller.stop(5000);

    const ids = delivered();
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(ids.slice(20).sort()).toEqual(
      interleaved(10, 5, 20)
        .map((r) => `${r.key}#${r.payload.index}`)
        .sort(),
    );
  });

  it('resumes a restart at the record that was still failing, after the ones already done', async () => {
    stream = await startTestStream(1);
    await stream.put(interleaved(6, 2));
    receiver.respond = (request) => ({ status: idOf(request.body) === 'key-0#2' ? 503 : 200 });
    const first = await startPoller({}, { FORWARD_MAX_ATTEMPTS: '1' });
    await waitFor(
      'a retry',
      () => first.poller.stats.shards.get('shardId-000000000000')?.retrying !== undefined,
    );
    await first.poller.stop(5000);
    const beforeRestart = receiver.requests.length;

    receiver.respond = () => ({ status: 200 });
    const invocations: string[][] = [];
    const second = await startPoller({}, {}, (event) =>
      invocations.push(event.Records.map((r) => idOf(JSON.stringify(r.kinesis)))),
    );
    await waitFor('the rest', () => second.poller.stats.delivered === 4);
    await second.poller.stop(5000);

    // key-0#0 and key-1#1 were done before the failure; the restart starts at key-0#2.
    expect(invocations[0]).toEqual(['key-0#2', 'key-1#3', 'key-0#4', 'key-1#5']);
    expect(receiver.requests.slice(beforeRestart).map((r) => idOf(r.body))).not.toContain('key-0#0');
  });

  it('stops cleanly: the batch in flight finishes and its checkpoint is saved', async () => {
    stream = await startTestStream(1);
    const written = await stream.put(interleaved(3, 1));
    receiver.respond = () => ({ status: 200, delayMs: 300 });
    const { poller } = await startPoller();
    await waitFor('the first request', () => receiver.requests.length > 0);

    const startedAt = Date.now();
    const report = await poller.stop(5000);

    expect(report.abandoned).toEqual([]);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(receiver.requests).toHaveLength(3);
    expect(checkpointsIn(files().checkpointFile)['shardId-000000000000']?.sequenceNumber).toBe(
      written[2]?.sequenceNumber,
    );
    await expect(poller.done).resolves.toBeUndefined();
  });

  it('stops within the grace time when the batch in flight hangs, leaving it to be read again', async () => {
    stream = await startTestStream(1);
    await stream.put(interleaved(2, 1));
    receiver.respond = () => ({ hang: true });
    const { poller } = await startPoller();
    await waitFor('the first request', () => receiver.requests.length > 0);

    const startedAt = Date.now();
    const report = await poller.stop(300);

    expect(report.abandoned).toEqual(['shardId-000000000000']);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(checkpointsIn(files().checkpointFile)['shardId-000000000000']?.sequenceNumber).toBeUndefined();
  });

  it('discards what is left after the maximum retries to the on-failure file, and reads on', async () => {
    stream = await startTestStream(1);
    const written = await stream.put(interleaved(3, 1));
    receiver.respond = (request) => ({ status: idOf(request.body) === 'key-0#1' ? 400 : 200 });
    const { poller, print } = await startPoller({
      retry: { maxRetryAttempts: 1, maxRecordAgeSeconds: -1, backoffBaseMs: 20, backoffMaxMs: 20 },
    });
    await waitFor('the discard', () => poller.stats.discarded === 2);

    await stream.put([{ key: 'key-0', payload: { key: 'key-0', index: 3 } }]);
    await waitFor('the next record', () => delivered().includes('key-0#3'));
    await poller.stop(5000);

    const lines = (await readFile(files().onFailureFile, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const discarded = JSON.parse(lines[0] ?? '{}');
    expect(discarded).toMatchObject({
      shardId: 'shardId-000000000000',
      retries: 1,
      startSequenceNumber: written[1]?.sequenceNumber,
      endSequenceNumber: written[2]?.sequenceNumber,
      batchSize: 2,
    });
    expect(discarded.reason).toContain('retry attempts exhausted (1)');
    expect(
      discarded.records.map((r: { kinesis: { data: string } }) => idOf(JSON.stringify(r.kinesis))),
    ).toEqual(['key-0#1', 'key-0#2']);
    expect(print.lines.some((line) => line.includes('discarded 2 record(s)'))).toBe(true);
    // Payloads go to the file only, never to a printed line.
    expect(print.lines.join('\n')).not.toContain(Buffer.from('{"key":"key-0","index":1}').toString('base64'));
  });

  it('follows resharding: a parent is read to its end before its children, so each key stays in order', async () => {
    stream = await startTestStream(1);
    const split = async (shardId: string) => {
      const shards = (await stream.client.send(new ListShardsCommand({ StreamName: stream.streamName })))
        .Shards;
      const range = shards?.find((shard) => shard.ShardId === shardId)?.HashKeyRange;
      const middle = (BigInt(range?.StartingHashKey ?? 0) + BigInt(range?.EndingHashKey ?? 0)) / 2n;
      await stream.client.send(
        new SplitShardCommand({
          StreamName: stream.streamName,
          ShardToSplit: shardId,
          NewStartingHashKey: middle.toString(),
        }),
      );
      // The split completes after the call returns: a record put before then still lands in the parent.
      await waitForAsync('the split to complete', async () => {
        const { StreamDescriptionSummary: summary } = await stream.client.send(
          new DescribeStreamSummaryCommand({ StreamName: stream.streamName }),
        );
        return summary?.StreamStatus === 'ACTIVE';
      });
    };
    const isKeyOrdered = () =>
      [0, 1, 2, 3, 4].every((key) => {
        const order = receiver.requests.map((r) => payloadOf(r.body)).filter((p) => p.key === `key-${key}`);
        return order.every((p, i) => i === 0 || (order[i - 1]?.index ?? 0) < p.index);
      });
    // The parent holds 20 records nobody has read yet when it is split; its children get the next 20.
    await stream.put(interleaved(20, 5));
    await split('shardId-000000000000');
    const children = await stream.put(interleaved(20, 5, 20));
    const { poller } = await startPoller({ batchSize: 5 });
    await waitFor('the 40 records', () => poller.stats.delivered === 40);

    expect(new Set(children.map((w) => w.shardId))).toEqual(
      new Set(['shardId-000000000001', 'shardId-000000000002']),
    );
    const firstFromChildren = receiver.requests.findIndex((r) => payloadOf(r.body).index >= 20);
    expect(firstFromChildren).toBe(20);
    expect(isKeyOrdered()).toBe(true);

    // A split while running: the children are found when their parent ends.
    await split('shardId-000000000001');
    await stream.put(interleaved(20, 5, 40));
    await waitFor('the 20 after the second split', () => poller.stats.delivered === 60);
    await poller.stop(5000);

    expect(isKeyOrdered()).toBe(true);
    const checkpoints = checkpointsIn(files().checkpointFile);
    expect(checkpoints['shardId-000000000000']?.finished).toBe(true);
    expect(checkpoints['shardId-000000000001']?.finished).toBe(true);
    expect(Object.keys(checkpoints).sort()).toEqual([0, 1, 2, 3, 4].map((n) => `shardId-00000000000${n}`));
  });

  it('with LATEST forwards only what arrives after the start', async () => {
    stream = await startTestStream(2);
    await stream.put(interleaved(6, 3));
    const { poller } = await startPoller({ startingPosition: 'LATEST' });
    await waitFor('both shards polled', () =>
      [...poller.stats.shards.values()].every((shard) => shard.millisBehind !== undefined),
    );

    await stream.put(interleaved(4, 2, 100));
    await waitFor('the 4 new records', () => poller.stats.delivered === 4);
    await poller.stop(5000);

    expect(delivered().sort()).toEqual(['key-0#100', 'key-0#102', 'key-1#101', 'key-1#103']);
  });

  it('rides out throttling and an expired iterator without losing or repeating records', async () => {
    stream = await startTestStream(1);
    const faults: string[] = [];
    let iteratorsOpened = 0;
    stream.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetShardIteratorCommand') iteratorsOpened += 1;
        const fault = context.commandName === 'GetRecordsCommand' ? faults.shift() : undefined;
        if (fault) throw Object.assign(new Error(`injected ${fault}`), { name: fault });
        return next(args);
      },
      { step: 'initialize', name: 'injectFaults' },
    );
    await stream.put(interleaved(5, 2));
    const { poller, print } = await startPoller();
    await waitFor('the first 5', () => poller.stats.delivered === 5);

    faults.push('ProvisionedThroughputExceededException', 'ExpiredIteratorException');
    await stream.put(interleaved(5, 2, 5));
    await waitFor('the next 5', () => poller.stats.delivered === 10);
    await poller.stop(5000);

    // The new iterator starts after the checkpoint: the first 5 are not read again.
    expect(delivered().sort()).toEqual(
      interleaved(10, 2)
        .map((r) => `${r.key}#${r.payload.index}`)
        .sort(),
    );
    expect(iteratorsOpened).toBe(2);
    expect(faults).toEqual([]);
    expect(print.lines.some((line) => line.includes('ProvisionedThroughputExceededException'))).toBe(true);
  });
});
