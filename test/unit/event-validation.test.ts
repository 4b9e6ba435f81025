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
      'Records[1].kinesis.data must be a base64 string, got "abc"',
      'Records[1].kinesis.partitionKey must be a non-empty string, got number',
    ]);
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
