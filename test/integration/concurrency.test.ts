import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../helpers/records';

describe('concurrency cap, static (FORWARD_ADAPTIVE_CONCURRENCY=false)', () => {
  const receiver = useReceiver(() => ({ status: 200, delayMs: 15 }));

  it.each([
    ['none', 3, 40, 40],
    ['partition-key', 4, 60, 20],
  ])(
    '%s: never has more than FORWARD_CONCURRENCY=%i requests in flight',
    async (ordering, cap, count, keys) => {
      const handler = loadHandler({
        FORWARD_URL: receiver.url,
        FORWARD_ORDERING: String(ordering),
        FORWARD_CONCURRENCY: String(cap),
        FORWARD_ADAPTIVE_CONCURRENCY: 'false',
      });

      const response = await handler(kinesisEvent(interleavedRecords(count, keys)), lambdaContext());

      expect(response.batchItemFailures).toEqual([]);
      expect(receiver.requests).toHaveLength(count);
      expect(receiver.maxInFlight()).toBe(cap);
    },
  );

  it('partition-key: keeps at most one request in flight per key', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_CONCURRENCY: '50',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
    });

    await handler(kinesisEvent(interleavedRecords(30, 3)), lambdaContext());

    expect(receiver.maxInFlight()).toBe(3);
  });
});
