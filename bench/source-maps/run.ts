// `npm run bench:source-maps`: what `--enable-source-maps` costs the function's cold start. Each run is a fresh
// Node.js process that loads the bundle, invokes it once against a receiver on 127.0.0.1 and then fails one
// invocation (logging a stack trace); the setups take turns, each run starting with the next one. Prints the
// README's table and writes the results to .local/bench; `--write` keeps them in bench/results/source-maps.json and
// regenerates the docs from them. `--help` lists the options.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';
import { UsageError } from '../../src/lib/errors';
import { runWorker } from '../harness/child-process';
import { startLatencyReceiver } from '../harness/latency-receiver';
import { describeMachine } from '../harness/machine';
import { REPO_ROOT } from '../paths';
import { renderGeneratedFiles } from '../report/generated-docs';
import { saveSourceMapRun } from '../report/save-run';
import { parseSourceMapOptions, SOURCE_MAP_USAGE } from './options';
import {
  type ColdStartMeasurement,
  renderSourceMapSection,
  SETUP_NAMES,
  SETUPS,
  type SetupName,
  type SourceMapResults,
  summarizeColdStarts,
} from './results';

const ROOT = REPO_ROOT;

const say = (text: string) => process.stderr.write(`${text}\n`);

const main = async (): Promise<void> => {
  const { runs, write, help } = parseSourceMapOptions(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${SOURCE_MAP_USAGE}\n`);
    return;
  }
  // Fails before measuring when a generated section has lost its markers.
  if (write) renderGeneratedFiles(ROOT);
  const machine = describeMachine();
  const began = Date.now();
  const work = mkdtempSync(join(os.tmpdir(), 'bench-source-maps-'));
  const receiver = await startLatencyReceiver({ latencyMs: 0 });
  try {
    await build({
      entryPoints: [join(__dirname, 'cold-start-probe.ts')],
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
    const written = saveSourceMapRun(ROOT, results, write);
    say(`wrote ${written.map((path) => relative(ROOT, path)).join(', ')}`);
    if (!write) say('nothing tracked by git changed: npm run bench:source-maps -- --write keeps the results');
  } finally {
    await receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${SOURCE_MAP_USAGE}\n`);
  else console.error(error);
  process.exitCode = 1;
});
