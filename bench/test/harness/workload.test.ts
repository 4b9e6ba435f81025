import type { KinesisStreamEvent } from 'aws-lambda';
import { buildBatches, payloadBytesForEvent } from '../../harness/workload';

const parse = (events: string[]) => events.map((text) => JSON.parse(text) as KinesisStreamEvent);

describe('buildBatches', () => {
  it('builds the batches with records spread round-robin over the keys', () => {
    const events = parse(
      buildBatches({ batches: 3, recordsPerBatch: 10, partitionKeys: 4, payloadBytes: 200 }),
    );

    expect(events.map((event) => event.Records.length)).toEqual([10, 10, 10]);
    const keys = events.flatMap((event) => event.Records.map((r) => r.kinesis.partitionKey));
    expect(keys.slice(0, 5)).toEqual(['key-0', 'key-1', 'key-2', 'key-3', 'key-0']);
    expect(new Set(keys).size).toBe(4);
  });

  it('gives every record a payload of the asked size and a valid Kinesis record shape', () => {
    const [event] = parse(
      buildBatches({ batches: 1, recordsPerBatch: 5, partitionKeys: 2, payloadBytes: 1024 }),
    );

    for (const record of event?.Records ?? []) {
      expect(Buffer.from(record.kinesis.data, 'base64').length).toBe(1024);
      expect(record.eventSource).toBe('aws:kinesis');
      expect(record.eventID).toBe(`shardId-000000000000:${record.kinesis.sequenceNumber}`);
    }
  });

  it('increases sequence numbers across batches and continues from firstIndex', () => {
    const spec = { batches: 2, recordsPerBatch: 3, partitionKeys: 2, payloadBytes: 50 };
    const first = parse(buildBatches(spec)).flatMap((e) => e.Records);
    const next = parse(buildBatches(spec, 6)).flatMap((e) => e.Records);

    const sequences = [...first, ...next].map((r) => BigInt(r.kinesis.sequenceNumber));
    for (let i = 1; i < sequences.length; i += 1) {
      expect(sequences[i]).toBe((sequences[i - 1] as bigint) + 1n);
    }
  });
});

describe('payloadBytesForEvent', () => {
  it('fills a batch up to the event size limit without passing it', () => {
    const limit = 6 * 1024 * 1024;
    const payloadBytes = payloadBytesForEvent(limit, 100);
    const [event = ''] = buildBatches({ batches: 1, recordsPerBatch: 100, partitionKeys: 20, payloadBytes });

    const size = Buffer.byteLength(event);
    expect(size).toBeLessThanOrEqual(limit);
    expect(size).toBeGreaterThan(limit * 0.99);
  });
});
