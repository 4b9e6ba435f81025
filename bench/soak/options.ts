import { UsageError } from '../../src/lib/errors';

/** What one `npm run soak` does besides its settings from the environment. */
export interface SoakOptions {
  /** Keep the results in bench/results and regenerate the docs from them. */
  readonly write: boolean;
  readonly help: boolean;
}

export const SOAK_USAGE = `usage: npm run soak -- [--write] [--help]
  --write   keep the results: write bench/results/soak.json (soak-no-heap-limit.json with SOAK_HEAP_MB=0) and
            regenerate every generated section of README.md from the committed results
Without --write nothing tracked by git changes: the results go to SOAK_OUTPUT (default .local/bench/soak.json).
Settings (environment): SOAK_RECORDS, SOAK_CHUNK, SOAK_BACKLOG, SOAK_MAX_MINUTES, SOAK_TOLERANCE, SOAK_OUTPUT,
SOAK_HEAP_MB and SOAK_KINESIS_ENDPOINT; see the README's Soak test section.`;

/**
 * Parses the soak's command line.
 *
 * @throws {UsageError} for an option it does not know.
 */
export const parseSoakOptions = (argv: readonly string[]): SoakOptions => {
  const unknown = argv.find((arg) => !['--write', '--help', '-h'].includes(arg));
  if (unknown !== undefined) throw new UsageError(`unknown option "${unknown}"`);
  return { write: argv.includes('--write'), help: argv.includes('--help') || argv.includes('-h') };
};
