import { parseOptions } from '../../harness/options';

describe('parseOptions', () => {
  it('defaults to 5 runs of 10 batches at 0, 5 and 20 ms, profiled and written', () => {
    expect(parseOptions([])).toEqual({
      runs: 5,
      latenciesMs: [0, 5, 20],
      batches: 10,
      loadSamples: 9,
      profile: true,
      write: true,
      quick: false,
      help: false,
      note: undefined,
    });
  });

  it('makes --quick smaller and lets explicit flags win in any order', () => {
    expect(parseOptions(['--runs', '7', '--quick'])).toMatchObject({ runs: 7, batches: 5, loadSamples: 5 });
    expect(parseOptions(['--latencies', '20,0,5,5', '--no-profile', '--no-write'])).toMatchObject({
      latenciesMs: [0, 5, 20],
      profile: false,
      write: false,
    });
    expect(parseOptions(['--note', ' shared machine ']).note).toBe('shared machine');
  });

  it.each([
    [['--runs', '0'], '--runs must be an integer between 1 and 100, got "0"'],
    [['--runs'], '--runs must be an integer between 1 and 100, got ""'],
    [['--batches', 'ten'], '--batches must be an integer between 1 and 1000, got "ten"'],
    [['--latencies', '5,x'], '--latencies must be a comma-separated list of ms (0-10000), got "5,x"'],
    [['--fast'], 'unknown option "--fast"'],
    [['--note'], '--note needs a text'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
