import { parsePutArgs, payloadLines } from '../../src/hosts/put/args';
import { UsageError } from '../../src/lib/errors';

describe('parsePutArgs', () => {
  it('reads payloads, a partition key and a count', () => {
    expect(parsePutArgs(['{"a":1}', '--partition-key', 'user-1', '--count', '3', ' [1,2] '])).toEqual({
      payloads: ['{"a":1}', '[1,2]'],
      partitionKey: 'user-1',
      count: 3,
      help: false,
    });
  });

  it('accepts --name=value, short flags and bare JSON scalars, negative numbers included', () => {
    expect(parsePutArgs(['--partition-key=k=v', '-n', '2', '-5', '"text"'])).toEqual({
      payloads: ['-5', '"text"'],
      partitionKey: 'k=v',
      count: 2,
      help: false,
    });
  });

  it('leaves payloads empty to read stdin', () => {
    expect(parsePutArgs(['-k', 'x'])).toEqual({ payloads: [], partitionKey: 'x', count: 1, help: false });
  });

  it.each([
    [['{oops}'], 'argument 1 is not valid JSON'],
    [['--count', '0'], '--count must be an integer between 1 and 100000, got "0"'],
    [['--count', 'many'], '--count must be an integer between 1 and 100000, got "many"'],
    [['--partition-key'], '--partition-key needs a value'],
    [['--key', 'x'], 'unknown option --key'],
    [['-k', 'x'.repeat(257)], '--partition-key must be at most 256 characters'],
  ])('rejects %p', (argv, message) => {
    expect(() => parsePutArgs(argv)).toThrow(UsageError);
    expect(() => parsePutArgs(argv)).toThrow(message);
  });
});

describe('payloadLines', () => {
  it('takes one JSON value per non-empty line', () => {
    expect(payloadLines('{"n":1}\r\n\n  {"n":2}\n')).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('names the line that is not JSON', () => {
    expect(() => payloadLines('{"n":1}\n\nnope\n')).toThrow('stdin line 3 is not valid JSON');
  });
});
