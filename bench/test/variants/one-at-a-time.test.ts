import { startReceiver, type TestReceiver } from '../../../test/helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../../../test/helpers/records';
import { BatchFailedError, createOneAtATime } from '../../variants/one-at-a-time';

describe('the one-at-a-time client (the original algorithm)', () => {
  let receiver: TestReceiver;

  afterEach(async () => {
    await receiver.close();
  });

  it('sends the batch in batch order, one request at a time', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 3 }));
    const records = interleavedRecords(12, 4);

    const delivered = await createOneAtATime(receiver.url).invoke(kinesisEvent(records));

    expect(delivered).toBe(12);
    expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual(records.map((r) => r.eventID));
    expect(receiver.maxInFlight()).toBe(1);
  });

  it('fails the invocation at the first refused record and sends nothing after it', async () => {
    receiver = await startReceiver((_, index) => ({ status: index === 2 ? 503 : 200 }));
    const records = interleavedRecords(6, 2);

    await expect(createOneAtATime(receiver.url).invoke(kinesisEvent(records))).rejects.toThrow(
      BatchFailedError,
    );

    expect(receiver.requests).toHaveLength(3);
  });
});
