import type { KinesisStreamEvent } from 'aws-lambda';
import { startReceiver, type TestReceiver } from '../../../test/helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../../../test/helpers/records';
import { buildBatches } from '../../harness/workload';
import { createFloorClient } from '../../variants/floor-client';

const sent = (receiver: TestReceiver) =>
  receiver.requests.map(
    (request) => JSON.parse(request.body) as { partitionKey: string; sequenceNumber: string },
  );

describe('the floor client', () => {
  let receiver: TestReceiver;

  afterEach(async () => {
    await receiver.close();
  });

  it('sends every record once, the records of each key in sequence order', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 2 }));
    const floor = createFloorClient({ url: receiver.url, concurrency: 10 });
    const [text = ''] = buildBatches({
      batches: 1,
      recordsPerBatch: 100,
      partitionKeys: 20,
      payloadBytes: 100,
    });
    const event = JSON.parse(text) as KinesisStreamEvent;

    const delivered = await floor.invoke(event);

    expect(delivered).toBe(100);
    expect(receiver.requests).toHaveLength(100);
    const byKey = new Map<string, string[]>();
    for (const { partitionKey, sequenceNumber } of sent(receiver)) {
      byKey.set(partitionKey, [...(byKey.get(partitionKey) ?? []), sequenceNumber]);
    }
    expect(byKey.size).toBe(20);
    for (const [key, sequences] of byKey) {
      const expected = event.Records.filter((r) => r.kinesis.partitionKey === key).map(
        (r) => r.kinesis.sequenceNumber,
      );
      expect(sequences).toEqual(expected);
    }
  });

  it('sends what the function sends: the kinesis object as JSON with its event id as Idempotency-Key', async () => {
    receiver = await startReceiver();
    const floor = createFloorClient({ url: receiver.url, concurrency: 10 });
    const [record] = interleavedRecords(1, 1);

    await floor.invoke(kinesisEvent(record ? [record] : []));

    expect(receiver.requests[0]?.method).toBe('POST');
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual(record?.kinesis);
    expect(receiver.requests[0]?.headers['idempotency-key']).toBe(record?.eventID);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('keeps at most the concurrency cap in flight, and one request per key', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 15 }));
    const capped = createFloorClient({ url: receiver.url, concurrency: 4 });

    await capped.invoke(kinesisEvent(interleavedRecords(60, 20)));

    expect(receiver.maxInFlight()).toBe(4);

    await receiver.close();
    receiver = await startReceiver(() => ({ status: 200, delayMs: 15 }));
    const wide = createFloorClient({ url: receiver.url, concurrency: 50 });

    await wide.invoke(kinesisEvent(interleavedRecords(30, 3)));

    expect(receiver.maxInFlight()).toBe(3);
  });

  it('stops a key at its first refused record and counts only what was delivered', async () => {
    const records = interleavedRecords(9, 3);
    const refused = records[3]?.kinesis.sequenceNumber;
    receiver = await startReceiver((request) => ({
      status: (JSON.parse(request.body) as { sequenceNumber: string }).sequenceNumber === refused ? 500 : 200,
    }));
    const floor = createFloorClient({ url: receiver.url, concurrency: 10 });

    const delivered = await floor.invoke(kinesisEvent(records));

    // key-0 holds records 0, 3 and 6: 3 is refused, so 6 is never sent.
    expect(delivered).toBe(7);
    expect(sent(receiver).map((r) => r.sequenceNumber)).not.toContain(records[6]?.kinesis.sequenceNumber);
    expect(receiver.requests).toHaveLength(8);
  });
});
