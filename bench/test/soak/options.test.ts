import { parseSoakOptions, SOAK_USAGE } from '../../soak/options';

describe('parseSoakOptions', () => {
  it('keeps nothing unless asked with --write', () => {
    expect(parseSoakOptions([])).toEqual({ write: false, help: false });
    expect(parseSoakOptions(['--write'])).toEqual({ write: true, help: false });
    expect(parseSoakOptions(['--help']).help).toBe(true);
  });

  it('rejects an option it does not know, and its usage says what --write does', () => {
    expect(() => parseSoakOptions(['--no-write'])).toThrow('unknown option "--no-write"');
    expect(SOAK_USAGE).toContain('--write   keep the results: write bench/results/soak.json');
  });
});
