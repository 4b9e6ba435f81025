import { parseSourceMapOptions, SOURCE_MAP_USAGE } from '../../source-maps/options';

describe('parseSourceMapOptions', () => {
  it('defaults to 40 runs per setup and keeps nothing', () => {
    expect(parseSourceMapOptions([])).toEqual({ runs: 40, write: false, help: false });
  });

  it('takes --runs, --write and --help', () => {
    expect(parseSourceMapOptions(['--runs', '5', '--write'])).toEqual({ runs: 5, write: true, help: false });
    expect(parseSourceMapOptions(['-h']).help).toBe(true);
    expect(SOURCE_MAP_USAGE).toContain('Without --write nothing tracked by git changes');
  });

  it.each([
    [['--runs', '0'], '--runs must be an integer between 1 and 1000, got "0"'],
    [['--no-write'], 'unknown option "--no-write"'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseSourceMapOptions(argv)).toThrow(message);
  });
});
