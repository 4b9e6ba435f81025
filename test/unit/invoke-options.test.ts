import { DEFAULT_TIMEOUT_SECONDS, parseInvokeArgs } from '../../src/hosts/invoke/options';
import { UsageError } from '../../src/lib/errors';

describe('parseInvokeArgs', () => {
  it('takes the event file, with the default timeout and no env file', () => {
    expect(parseInvokeArgs(['events/single-record.json'])).toEqual({
      eventPath: 'events/single-record.json',
      envVarsPath: undefined,
      timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000,
    });
  });

  it.each([
    [['--timeout', '2.5', '--env-vars', 'env.json', 'e.json']],
    [['e.json', '--timeout=2.5', '--env-vars=env.json']],
  ])('reads the options in either form: %j', (args) => {
    expect(parseInvokeArgs(args)).toEqual({ eventPath: 'e.json', envVarsPath: 'env.json', timeoutMs: 2500 });
  });

  it.each([[['--help']], [['-h']], [['--timeout', 'soon', 'e.json', '--help']]])(
    'asks for the usage with %j, whatever else is there',
    (args) => {
      expect(parseInvokeArgs(args)).toBe('help');
    },
  );

  it.each([
    [[], 'the event file is missing'],
    [['a.json', 'b.json'], 'one event file only, got "a.json" and "b.json"'],
    [['--timeout', 'soon', 'e.json'], '--timeout must be a number of seconds between 1 and 900, got "soon"'],
    [['--timeout', '0.5', 'e.json'], 'got "0.5"'],
    [['--timeout', '901', 'e.json'], 'got "901"'],
    [['e.json', '--timeout'], '--timeout needs a value'],
    [['--verbose', 'e.json'], 'unknown option --verbose'],
  ])('rejects %j saying why', (args, message) => {
    expect(() => parseInvokeArgs(args)).toThrow(UsageError);
    expect(() => parseInvokeArgs(args)).toThrow(message);
  });
});
