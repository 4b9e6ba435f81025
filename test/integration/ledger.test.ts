import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KinesisStreamRecord } from 'aws-lambda';
import { captureOutputOf } from '../helpers/capture-output';
import { AWS_TEST_ENV, startTestDynamo, type TestDynamo } from '../helpers/dynalite';
import { aggregate } from '../helpers/kpl';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord, rawRecord } from '../helpers/records';

const TABLE = 'forwarder-ledger';
const keyOf = (body: string) => (JSON.parse(body) as { partitionKey: string }).partitionKey;
const payloadOf = (body: string) =>
  JSON.parse(Buffer.from((JSON.parse(body) as { data: string }).data, 'base64').toString('utf8')) as {
    n: string;
  };

/** a0 b0 a1 b1: when a0 fails once, Lambda sends the whole batch again, b0 and b1 included. */
const batch = () => [
  kinesisRecord({ partitionKey: 'a', payload: { n: 'a0' } }),
  kinesisRecord({ partitionKey: 'b', payload: { n: 'b0' } }),
  kinesisRecord({ partitionKey: 'a', payload: { n: 'a1' } }),
  kinesisRecord({ partitionKey: 'b', payload: { n: 'b1' } }),
];

const sentIn = (requests: { body: string }[]) => requests.map((request) => payloadOf(request.body).n).sort();

/** A stand-in DynamoDB endpoint on loopback for each test, answering as `listener` does; the SDK pointed at it. */
const useDynamoEndpoint = (listener: http.RequestListener) => {
  let server: http.Server;
  beforeEach(async () => {
    server = http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, AWS_TEST_ENV, { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` });
  });
  afterEach(async () => {
    for (const name of [...Object.keys(AWS_TEST_ENV), 'AWS_ENDPOINT_URL_DYNAMODB']) delete process.env[name];
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
};

describe('the delivery ledger: what Lambda sends again is not sent twice', () => {
  const receiver = useReceiver();

  /** Invocation 1 fails a0 once; invocation 2 is Lambda's retry of the same batch, from a0. */
  const retryScenario = async (first: ReturnType<typeof loadHandler>, second = first) => {
    const records = batch();
    let refusedA0 = false;
    receiver.respond = (request) => {
      if (payloadOf(request.body).n !== 'a0' || refusedA0) return { status: 200 };
      refusedA0 = true;
      return { status: 400 };
    };
    const one = await first(kinesisEvent(records), lambdaContext());
    const sentFirst = receiver.requests.length;
    const two = await second(kinesisEvent(records), lambdaContext());
    return { records, one, two, sentAgain: sentIn(receiver.requests.slice(sentFirst)) };
  };

  it('in memory (the default): the retry sends only what was not delivered', async () => {
    // Arrange
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'INFO' });

    // Act
    let result: Awaited<ReturnType<typeof retryScenario>> | undefined;
    const output = await captureOutputOf(async () => {
      result = await retryScenario(handler);
    });

    // Assert: b0 and b1 were delivered the first time; the retry sent a0 and a1 alone and reported nothing.
    const [a0, , a1] = result?.records ?? [];
    expect(result?.one.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      a0?.kinesis.sequenceNumber,
      a1?.kinesis.sequenceNumber,
    ]);
    expect(result?.sentAgain).toEqual(['a0', 'a1']);
    expect(result?.two).toEqual({ batchItemFailures: [] });
    const summaries = output.lines().filter((line) => line.message === 'batch forwarded');
    expect(summaries.map((line) => line.suppressed)).toEqual([0, 2]);
  });

  it('off: the retry sends everything again', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_LEDGER: 'off' });

    const result = await retryScenario(handler);

    expect(result.sentAgain).toEqual(['a0', 'a1', 'b0', 'b1']);
  });

  it('never suppresses in a batch that is not the one it remembered', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });
    await retryScenario(handler);
    const before = receiver.requests.length;

    // A later batch that starts elsewhere, holding b1's id too (as a replay might).
    const [, , , b1] = batch();
    await handler(
      kinesisEvent([kinesisRecord({ partitionKey: 'c' }), b1 as KinesisStreamRecord]),
      lambdaContext(),
    );

    expect(receiver.requests.length - before).toBe(2);
  });

  it('does not send again the user records of an aggregate that were delivered when its parent is retried', async () => {
    const parent = rawRecord(
      aggregate([
        { partitionKey: 'a', data: JSON.stringify({ n: 'a0' }) },
        { partitionKey: 'b', data: JSON.stringify({ n: 'b0' }) },
      ]),
    );
    let refused = false;
    receiver.respond = (request) => {
      if (keyOf(request.body) !== 'a' || refused) return { status: 200 };
      refused = true;
      return { status: 503 };
    };
    const once = { FORWARD_MAX_ATTEMPTS: '1' };
    const retrying = loadHandler({ FORWARD_URL: receiver.url, FORWARD_DEAGGREGATE: 'true', ...once });

    await retrying(kinesisEvent([parent]), lambdaContext());
    const sentFirst = receiver.requests.length;
    const response = await retrying(kinesisEvent([parent]), lambdaContext());

    expect(sentFirst).toBe(2);
    expect(sentIn(receiver.requests.slice(sentFirst))).toEqual(['a0']);
    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('the delivery ledger in DynamoDB (FORWARD_LEDGER=dynamodb), against dynalite on loopback', () => {
  const receiver = useReceiver();
  let dynamo: TestDynamo;

  beforeEach(async () => {
    dynamo = await startTestDynamo();
    await dynamo.createLedgerTable(TABLE);
    Object.assign(process.env, AWS_TEST_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  });
  afterEach(async () => {
    for (const name of [...Object.keys(AWS_TEST_ENV), 'AWS_ENDPOINT_URL_DYNAMODB']) delete process.env[name];
    await dynamo.close();
  });

  const env = () => ({ FORWARD_URL: receiver.url, FORWARD_LEDGER: 'dynamodb', FORWARD_LEDGER_TABLE: TABLE });

  it('lets a retry that lands on another container skip what the first delivered: one read each, one write', async () => {
    // Arrange: two containers of the same function.
    const first = loadHandler(env());
    const second = loadHandler(env());
    const records = batch();
    let refusedA0 = false;
    receiver.respond = (request) => {
      if (payloadOf(request.body).n !== 'a0' || refusedA0) return { status: 200 };
      refusedA0 = true;
      return { status: 400 };
    };

    // Act
    await first(kinesisEvent(records), lambdaContext());
    const sentFirst = receiver.requests.length;
    const response = await second(kinesisEvent(records), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sentIn(receiver.requests.slice(sentFirst))).toEqual(['a0', 'a1']);
    expect(Object.fromEntries(dynamo.calls)).toEqual({ GetItem: 2, PutItem: 1 });
  });

  it('reads once and writes nothing for a batch delivered whole', async () => {
    const handler = loadHandler(env());

    await handler(kinesisEvent(batch()), lambdaContext());

    expect(Object.fromEntries(dynamo.calls)).toEqual({ GetItem: 1 });
  });

  it('falls back to sending everything, logging once, when the table does not exist', async () => {
    // Arrange
    const handler = loadHandler({
      ...env(),
      FORWARD_LEDGER_TABLE: 'no-such-table',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });

    // Act
    let response: Awaited<ReturnType<typeof handler>> | undefined;
    const output = await captureOutputOf(async () => {
      response = await handler(kinesisEvent(batch()), lambdaContext());
    });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(4);
    const warnings = output.lines().filter((line) => line.message === 'delivery ledger unavailable');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.problem)).toMatch(
      /^reading the ledger table no-such-table failed: ResourceNotFoundException/,
    );
  });
});

describe('a DynamoDB ledger whose writes fail', () => {
  const receiver = useReceiver();
  let writes = 0;
  beforeEach(() => {
    writes = 0;
  });

  // Answers every read with no item and every write with a server error, as DynamoDB's JSON protocol does. Not a
  // throttling error: the SDK waits up to a second before retrying one, at random, which would sometimes outlast
  // the ledger's time limit and make the test's outcome a draw.
  useDynamoEndpoint((req, res) => {
    req.resume();
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target']).split('.')[1];
      res.setHeader('Content-Type', 'application/x-amz-json-1.0');
      if (operation === 'GetItem') {
        res.end('{}');
        return;
      }
      writes += 1;
      res.statusCode = 500;
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'try again',
        }),
      );
    });
  });

  it('loses nothing: the batch is reported as it is, the problem logged once and counted', async () => {
    // Arrange
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_LEDGER: 'dynamodb',
      FORWARD_LEDGER_TABLE: TABLE,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_METRICS_NAMESPACE: 'Test',
    });
    receiver.respond = (request) => ({ status: payloadOf(request.body).n === 'a0' ? 400 : 200 });

    // Act
    let response: Awaited<ReturnType<typeof handler>> | undefined;
    const output = await captureOutputOf(async () => {
      response = await handler(kinesisEvent(batch()), lambdaContext());
    });

    // Assert: the SDK retries once (maxAttempts 2), then the ledger gives up; the response is what it would be.
    expect(response?.batchItemFailures).toHaveLength(2);
    expect(writes).toBe(2);
    const warnings = output.lines().filter((line) => line.message === 'delivery ledger unavailable');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.problem)).toContain('InternalServerError: try again');
    expect(output.text()).toMatch(/"LedgerErrors":1/);
  });
});

describe('a DynamoDB ledger that never answers', () => {
  const receiver = useReceiver();
  useDynamoEndpoint(() => {});

  it('holds delivery up about a second at most, then sends everything', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_LEDGER: 'dynamodb',
      FORWARD_LEDGER_TABLE: TABLE,
    });
    const started = Date.now();

    const response = await handler(kinesisEvent(batch()), lambdaContext(10_000));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(4);
    expect((receiver.requests[0]?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(3000);
  });
});
