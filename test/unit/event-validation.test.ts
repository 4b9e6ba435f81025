import { findEventProblems } from '../../src/services/event-validation';
import { kinesisRecord } from '../helpers/records';

describe('findEventProblems', () => {
  it('finds nothing wrong with a Kinesis event', () => {
    expect(findEventProblems({ Records: [kinesisRecord(), kinesisRecord()] }, 5)).toEqual([]);
  });

  it('names each problem with its place', () => {
    const record = kinesisRecord();
    const broken = { ...record, eventID: '', kinesis: { ...record.kinesis, partitionKey: 7, data: 'abc' } };

    expect(findEventProblems({ Records: [record, broken] }, 5)).toEqual([
      'Records[1].eventID must be a non-empty string, got ""',
      "Records[1].kinesis.data must be a base64 string, got a string of 3 characters that is not base64 (not shown: it is the record's payload)",
      'Records[1].kinesis.partitionKey must be a non-empty string, got number',
    ]);
  });

  it('never quotes the payload, whatever is wrong with it', () => {
    const record = kinesisRecord();
    const broken = { ...record, kinesis: { ...record.kinesis, data: '{"ssn":"123-45-6789"}' } };

    const problems = findEventProblems({ Records: [broken] }, 5);

    expect(problems).toEqual([
      "Records[0].kinesis.data must be a base64 string, got a string of 21 characters that is not base64 (not shown: it is the record's payload)",
    ]);
  });

  it('quotes at most 80 characters of any other value', () => {
    const huge = 'x'.repeat(200_000);
    const record = { ...kinesisRecord(), eventSource: huge };

    const [problem] = findEventProblems({ Records: [record] }, 5);

    expect(problem).toBe(
      `Records[0].eventSource must be "aws:kinesis", got "${'x'.repeat(80)}..." (200000 characters)`,
    );
  });

  it.each([
    [
      'a character no header can hold',
      'shardId-000000000000:4959\u2713',
      'it contains a character that cannot be',
    ],
    ['a line break', 'shardId-000000000000:4959\r\nX-Injected: 1', 'it contains a line break'],
  ])('refuses an eventID with %s, naming the record and not quoting it', (_kind, eventID, problem) => {
    const record = { ...kinesisRecord(), eventID };

    const problems = findEventProblems({ Records: [kinesisRecord(), record] }, 5);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      `Records[1].eventID cannot be sent as the Idempotency-Key header: ${problem}`,
    );
    expect(problems[0]).not.toContain('4959');
  });

  it('stops at the limit', () => {
    const problems = findEventProblems({ Records: [1, 2, 3, 4, 5] }, 2);

    expect(problems).toEqual([
      'Records[0] must be an object, got number',
      'Records[1] must be an object, got number',
      'further problems not listed',
    ]);
  });

  it('reports a missing kinesis object', () => {
    const { kinesis: _kinesis, ...rest } = kinesisRecord();

    expect(findEventProblems({ Records: [rest] }, 5)).toEqual([
      'Records[0].kinesis must be an object, got undefined',
    ]);
  });

  it('does not change the event', () => {
    const event = { Records: [kinesisRecord()] };
    const before = JSON.stringify(event);

    findEventProblems(event, 5);

    expect(JSON.stringify(event)).toBe(before);
  });
});
