import { parseOptions, USAGE } from '../../harness/options';

describe('parseOptions', () => {
  it('defaults to 5 runs of 10 batches at 0, 5 and 20 ms, profiled, and keeps nothing', () => {
    expect(parseOptions([])).toEqual({
      runs: 5,
      latenciesMs: [0, 5, 20],
      batches: 10,
      loadSamples: 9,
      profile: true,
      write: false,
      render: false,
      quick: false,
      help: false,
      note: undefined,
    });
  });

  it('makes --quick smaller and lets explicit flags win in any order', () => {
    expect(parseOptions(['--runs', '7', '--quick'])).toMatchObject({ runs: 7, batches: 5, loadSamples: 5 });
    expect(parseOptions(['--latencies', '20,0,5,5', '--no-profile', '--write'])).toMatchObject({
      latenciesMs: [0, 5, 20],
      profile: false,
      write: true,
    });
    expect(parseOptions(['--render'])).toMatchObject({ render: true, write: false });
    expect(parseOptions(['--note', ' shared machine ']).note).toBe('shared machine');
  });

  it.each([
    [['--runs', '0'], '--runs must be an integer between 1 and 100, got "0"'],
    [['--runs'], '--runs must be an integer between 1 and 100, got ""'],
    [['--batches', 'ten'], '--batches must be an integer between 1 and 1000, got "ten"'],
    [['--latencies', '5,x'], '--latencies must be a comma-separated list of ms (0-10000), got "5,x"'],
    [['--fast'], 'unknown option "--fast"'],
    [['--no-write'], 'unknown option "--no-write"'],
    [['--write', '--render'], '--write measures and keeps the results, --render only renders: pick one'],
    [['--note'], '--note needs a text'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});

describe('the usage', () => {
  it('says that only --write changes tracked files, and what --render does', () => {
    expect(USAGE).toContain('--write           keep the results');
    expect(USAGE).toContain('--render          measure nothing');
    expect(USAGE).toContain('Without --write or --render nothing tracked by git changes');
  });
});
