import { UsageError } from '../../src/lib/errors';
/** What one `npm run bench` does; see {@link parseOptions} for the flags. */
export interface BenchOptions {
  /** Measured runs per variant and latency; medians are taken over them. */
  readonly runs: number;
  /** Receiver response latencies in ms. */
  readonly latenciesMs: readonly number[];
  /** Measured batches per run (each of 100 records over 20 partition keys). */
  readonly batches: number;
  /** Fresh processes per bundle for the load time. */
  readonly loadSamples: number;
  /** Also profile the variants and the load (a few seconds more) to explain the numbers. */
  readonly profile: boolean;
  /**
   * Keep the results: bench/results, BENCHMARKS.md and every generated section of the docs. Without it a run
   * writes to .local/bench only.
   */
  readonly write: boolean;
  /** Measure nothing: regenerate BENCHMARKS.md, the chart and every generated section from the committed results. */
  readonly render: boolean;
  readonly quick: boolean;
  /** Print the usage and stop. */
  readonly help: boolean;
  /** Free text recorded with the results, e.g. what else ran on the machine. */
  readonly note: string | undefined;
}

export const USAGE = `usage: npm run bench -- [--runs N] [--latencies 0,5,20] [--batches N] [--load-samples N]
                        [--quick] [--no-profile] [--note TEXT] [--write | --render] [--help]
  --runs N          measured runs per variant and latency (default 5; 3 with --quick)
  --latencies LIST  receiver response latencies in ms (default 0,5,20)
  --batches N       measured batches of 100 records per run (default 10; 5 with --quick)
  --load-samples N  fresh processes per bundle for the load time (default 9; 5 with --quick)
  --quick           fewer runs, batches and load samples, a third of the ledger's records: a first look
  --no-profile      skip the CPU profiles that explain the numbers
  --note TEXT       a remark kept with the results, e.g. "shared machine: other tests were running"
  --write           keep the results: write bench/results/results.json, bench/results/chart.svg and BENCHMARKS.md,
                    and regenerate every generated section of README.md from the committed results
  --render          measure nothing: regenerate BENCHMARKS.md, bench/results/chart.svg and every generated
                    section of README.md from the committed results (bench, soak, source maps)
Without --write or --render nothing tracked by git changes: the results are printed and written to .local/bench.`;

/**
 * The value of `flag` as an integer from 1 to `max`.
 *
 * @throws {UsageError} naming the flag and the range.
 */
export const positiveInteger = (flag: string, raw: string | undefined, max: number): number => {
  const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${flag} must be an integer between 1 and ${max}, got "${raw ?? ''}"`);
  }
  return value;
};

const latencyList = (raw: string | undefined): number[] => {
  const parts = (raw ?? '').split(',').map((part) => part.trim());
  const values = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  if (parts.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value > 10_000)) {
    throw new UsageError(`--latencies must be a comma-separated list of ms (0-10000), got "${raw ?? ''}"`);
  }
  return [...new Set(values)].sort((a, b) => a - b);
};

/**
 * Parses the benchmark's command line.
 *
 * @throws {UsageError} naming the flag and what it expects.
 */
export const parseOptions = (argv: readonly string[]): BenchOptions => {
  const quick = argv.includes('--quick');
  let runs = quick ? 3 : 5;
  let batches = quick ? 5 : 10;
  let loadSamples = quick ? 5 : 9;
  let latenciesMs = [0, 5, 20];
  let profile = true;
  let write = false;
  let render = false;
  let help = false;
  let note: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    switch (flag) {
      case '--quick':
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--no-profile':
        profile = false;
        break;
      case '--write':
        write = true;
        break;
      case '--render':
        render = true;
        break;
      case '--runs':
        index += 1;
        runs = positiveInteger(flag, argv[index], 100);
        break;
      case '--batches':
        index += 1;
        batches = positiveInteger(flag, argv[index], 1000);
        break;
      case '--load-samples':
        index += 1;
        loadSamples = positiveInteger(flag, argv[index], 100);
        break;
      case '--note':
        index += 1;
        note = argv[index]?.trim();
        if (!note) throw new UsageError('--note needs a text, e.g. --note "shared machine"');
        break;
      case '--latencies':
        index += 1;
        latenciesMs = latencyList(argv[index]);
        break;
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  if (write && render)
    throw new UsageError('--write measures and keeps the results, --render only renders: pick one');
  return { runs, latenciesMs, batches, loadSamples, profile, write, render, quick, help, note };
};
