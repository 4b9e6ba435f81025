import { UsageError } from '../../src/lib/errors';
import { positiveInteger } from '../harness/options';

/** What one `npm run bench:source-maps` does. */
export interface SourceMapOptions {
  /** Fresh processes per setup; the setups take turns. */
  readonly runs: number;
  /** Keep the results in bench/results/source-maps.json and regenerate the docs from them. */
  readonly write: boolean;
  readonly help: boolean;
}

export const SOURCE_MAP_USAGE = `usage: npm run bench:source-maps -- [--runs N] [--write] [--help]
  --runs N   fresh processes per setup, the setups taking turns (default 40)
  --write    keep the results: write bench/results/source-maps.json and regenerate every generated section of
             README.md from the committed results
Without --write nothing tracked by git changes: the table is printed and the results written to .local/bench.`;

/**
 * Parses the source map measurement's command line.
 *
 * @throws {UsageError} naming the flag and what it expects.
 */
export const parseSourceMapOptions = (argv: readonly string[]): SourceMapOptions => {
  let runs = 40;
  let write = false;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--write') write = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--runs') {
      index += 1;
      runs = positiveInteger(flag, argv[index], 1000);
    } else throw new UsageError(`unknown option "${flag}"`);
  }
  return { runs, write, help };
};
