// `npm run bench:source-maps`: what `--enable-source-maps` costs the function's cold start. Each run is a fresh
// Node.js process that loads the bundle, invokes it once against a receiver on 127.0.0.1 and then fails one
// invocation (logging a stack trace); the setups take turns, each run starting with the next one. Writes bench/results/source-maps.json and the table
// in docs/building.md. Flags: --runs N (default 40), --no-write (print only).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../scripts/lambda-build';
import { runWorker } from './child-process';
import { startLatencyReceiver } from './latency-receiver';
import { describeMachine } from './machine';
import { checkReadmeMarkers, replaceReadmeSection } from './readme-section';
import {
  type ColdStartMeasurement,
  renderSourceMapSection,
  SETUP_NAMES,
  SETUPS,
  type SetupName,
  SOURCE_MAP_MARKERS,
  type SourceMapResults,
  summarizeColdStarts,
} from './source-map-results';

const ROOT = resolve(__dirname, '..');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'source-maps.json');
// The page whose source map table this writes (between the source-maps markers).
const README = join(ROOT, 'docs', 'building.md');

const say = (text: string) => process.stderr.write(`${text}\n`);

const parseArgs = (args: readonly string[]) => {
  let runs = 40;
  let write = true;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--no-write') write = false;
    else if (arg === '--runs' && Number.isInteger(Number(args[i + 1])) && Number(args[i + 1]) > 0) {
      runs = Number(args[i + 1]);
      i += 1;
    } else throw new Error(`usage: npm run bench:source-maps -- [--runs N] [--no-write]; got "${arg}"`);
  }
  return { runs, write };
};

const main = async (): Promise<void> => {
  const { runs, write } = parseArgs(process.argv.slice(2));
  if (write) checkReadmeMarkers(README, SOURCE_MAP_MARKERS);
  const machine = describeMachine();
  const began = Date.now();
  const work = mkdtempSync(join(os.tmpdir(), 'bench-source-maps-'));
  const receiver = await startLatencyReceiver(0);
  try {
    await build({
      entryPoints: [join(ROOT, 'bench', 'workers', 'cold-start-probe.ts')],
      outfile: join(work, 'probe.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      logLevel: 'warning',
    });
    // The function's bundle as deployed, and the same with a map that leaves the sources out.
    const bundles = { full: join(work, 'full', 'handler.js'), lean: join(work, 'lean', 'handler.js') };
    await build({ ...LAMBDA_BUILD, absWorkingDir: ROOT, outfile: bundles.full });
    await build({ ...LAMBDA_BUILD, absWorkingDir: ROOT, outfile: bundles.lean, sourcesContent: false });

    const measured = Object.fromEntries(
      SETUP_NAMES.map((name) => [name, [] as ColdStartMeasurement[]]),
    ) as Record<SetupName, ColdStartMeasurement[]>;
    for (let run = 1; run <= runs; run += 1) {
      say(`run ${run}/${runs}`);
      // Each run starts with the next setup, so none always goes first.
      const order = SETUP_NAMES.map((_, i) => SETUP_NAMES[(run + i) % SETUP_NAMES.length] as SetupName);
      for (const name of order) {
        const setup = SETUPS[name];
        const { type: _, ...result } = await runWorker(
          join(work, 'probe.mjs'),
          [setup.sourcesContent ? bundles.full : bundles.lean],
          {
            // As deployed: logs at INFO (the probe's stdout is discarded), metrics off, no tracing outside Lambda.
            env: { FORWARD_URL: `${receiver.url}/events`, POWERTOOLS_METRICS_DISABLED: 'true' },
            nodeFlags: setup.nodeFlags,
            timeoutMs: 30_000,
          },
        );
        measured[name].push(result as unknown as ColdStartMeasurement);
      }
    }

    const results: SourceMapResults = {
      measuredAt: new Date().toISOString(),
      durationS: Math.round((Date.now() - began) / 1000),
      machine: { ...machine, loadAverageAtEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
      runs,
      bundle: {
        bytes: statSync(bundles.full).size,
        mapBytes: statSync(`${bundles.full}.map`).size,
        leanMapBytes: statSync(`${bundles.lean}.map`).size,
      },
      setups: Object.fromEntries(
        SETUP_NAMES.map((name) => [name, summarizeColdStarts(measured[name])]),
      ) as SourceMapResults['setups'],
    };
    const section = renderSourceMapSection(results);
    process.stdout.write(`${section}\n`);
    if (write) {
      writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
      replaceReadmeSection(README, section, SOURCE_MAP_MARKERS);
      say(`wrote ${RESULTS_FILE} and the source map table in docs/building.md`);
    }
  } finally {
    await receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
