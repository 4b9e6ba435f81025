import type { ReceivedRequest, Reply } from '../../src/hosts/loopback-receiver';
import { captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../helpers/records';

/** A receiver that serves `capacity` requests at once, each in `latencyMs`, and answers 503 to any beyond. */
const limitedTo = (capacity: number, latencyMs: number) => {
  const busyUntil: number[] = [];
  let refused = 0;
  return {
    refused: () => refused,
    respond: (request: ReceivedRequest): Reply => {
      const inFlight = busyUntil.filter((until) => until > request.at).length;
      if (inFlight >= capacity) {
        refused += 1;
        return { status: 503 };
      }
      busyUntil.push(request.at + latencyMs);
      return { status: 200, delayMs: latencyMs };
    },
  };
};

const summaryOf = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line.message === 'batch forwarded');

describe('load that follows the receiver', () => {
  const receiver = useReceiver();

  it('pauses every request, not just the one answered, while the receiver asks to wait (Retry-After)', async () => {
    // Arrange: the first request is told to wait a second; the one beside it takes 50 ms.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_ORDERING: 'none',
      FORWARD_CONCURRENCY: '2',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
    });
    let pausedAt = 0;
    receiver.respond = (request, index) => {
      if (index === 0) {
        pausedAt = request.at;
        return { status: 503, headers: { 'Retry-After': '1' } };
      }
      return { status: 200, delayMs: 50 };
    };

    // Act
    const response = await handler(kinesisEvent(interleavedRecords(6, 6)), lambdaContext());

    // Assert: apart from the request already in flight, nothing reached the receiver during the second asked for.
    expect(response).toEqual({ batchItemFailures: [] });
    const during = receiver.requests.filter(
      (request) => request.at > pausedAt + 5 && request.at < pausedAt + 950,
    );
    expect(during.length).toBeLessThanOrEqual(1);
    expect(receiver.requests).toHaveLength(7);
  });

  it('starts no more requests per second than FORWARD_MAX_RPS', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_ORDERING: 'none',
      FORWARD_MAX_RPS: '20',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
    });
    const started = Date.now();

    const response = await handler(kinesisEvent(interleavedRecords(40, 40)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    // Spaced 50 ms apart: 40 take about two seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const times = receiver.requests.map((request) => request.at).sort((a, b) => a - b);
    for (const [index, at] of times.entries()) {
      const withinASecond = times.slice(index).filter((later) => later < at + 1000).length;
      expect(withinASecond).toBeLessThanOrEqual(21);
    }
  });

  it('adapts to a receiver that serves 4 at once: far fewer refusals than a fixed 32 in flight', async () => {
    // Arrange
    const records = interleavedRecords(200, 200);
    const run = async (adaptive: boolean) => {
      const limited = limitedTo(4, 10);
      receiver.respond = limited.respond;
      const handler = loadHandler({
        FORWARD_URL: receiver.url,
        FORWARD_ORDERING: 'none',
        FORWARD_CONCURRENCY: '32',
        FORWARD_ADAPTIVE_CONCURRENCY: String(adaptive),
        FORWARD_BACKOFF_BASE_MS: '5',
        FORWARD_MAX_ATTEMPTS: '20',
        FORWARD_BREAKER_THRESHOLD: '0',
      });
      const response = await handler(kinesisEvent(records), lambdaContext());
      return { failed: response.batchItemFailures.length, refused: limited.refused() };
    };

    // Act
    const fixed = await run(false);
    const adaptive = await run(true);

    // Assert
    expect(adaptive.failed).toBe(0);
    expect(adaptive.refused).toBeLessThan(fixed.refused / 3);
  });

  it('keeps what it learned across invocations of a container, and reports the limit in force', async () => {
    receiver.respond = () => ({ status: 200, delayMs: 10 });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_ORDERING: 'none',
      FORWARD_CONCURRENCY: '16',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });

    const output = await captureOutputOf(async () => {
      await handler(kinesisEvent(interleavedRecords(100, 100)), lambdaContext());
      await handler(kinesisEvent(interleavedRecords(100, 100)), lambdaContext());
    });

    // The first invocation started from one request in flight and grew; the second started where the first ended:
    // its first requests went out together.
    const [first] = summaryOf(output.lines());
    const learned = Number(first?.concurrencyLimit);
    const startedTogether = (from: number) => {
      const start = receiver.requests[from]?.at ?? 0;
      return receiver.requests.slice(from, from + 100).filter((request) => request.at - start < 5).length;
    };
    expect(learned).toBeGreaterThanOrEqual(8);
    expect(startedTogether(0)).toBeLessThanOrEqual(2);
    expect(startedTogether(100)).toBeGreaterThanOrEqual(Math.min(learned, 8));
  });

  it('counts the answers that refused work and the time paused, in the summary', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url, POWERTOOLS_LOG_LEVEL: 'INFO' });
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 };

    const output = await captureOutputOf(() =>
      handler(kinesisEvent(interleavedRecords(1, 1)), lambdaContext()),
    );

    const [summary] = summaryOf(output.lines());
    expect(summary).toMatchObject({ refused: 1, delivered: 1 });
    expect(Number(summary?.pausedMs)).toBeGreaterThanOrEqual(900);
  });
});
