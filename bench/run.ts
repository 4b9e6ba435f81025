// `npm run bench`: this function against the floor and the original algorithm. See BENCHMARKS.md.
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../src/config';
import { analyzeBundle, buildEmptyHandler, buildWorkers } from './bundle';
import { renderChart } from './chart';
import { describeMachine } from './machine';
import { type ReceiverProcess, startReceiverProcess } from './measure';
import { parseOptions, USAGE, UsageError } from './options';
import { measuredBatches, planSteps, WARMUP_BATCHES } from './plan';
import { Progress } from './progress';
import { checkReadmeMarkers, replaceReadmeSection } from './readme-section';
import { formatConsoleReport, renderBenchmarksMarkdown, renderReadmeSection } from './report';
import { type BenchResults, summarizeLoad, summarizeMemory, summarizeThroughput } from './results';
import { evaluateTargets } from './targets';
import { VARIANT_NAMES } from './variants/variant';
import { buildBatches, payloadBytesForEvent } from './workload';

const ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
// The headline table's page (between the bench markers).
const README = join(ROOT, 'docs', 'benchmarks.md');

const RECORDS_PER_BATCH = 100;
const PARTITION_KEYS = 20;
const PAYLOAD_BYTES = 1024;
// Lambda's limit on an invocation's payload: the maximum-size batch.
const MAX_EVENT_BYTES = 6 * 1024 * 1024;
// This function's default FORWARD_CONCURRENCY, which the floor gets too.
const CONCURRENCY = parseConfig({ FORWARD_URL: 'http://127.0.0.1/' }).concurrency;

const say = (text: string) => process.stderr.write(`${text}\n`);

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.write) checkReadmeMarkers(README);
  const startedAt = new Date();
  const machine = describeMachine();
  say(`kinesis-http-forwarder bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
  say('building dist/handler.js (npm run build)');
  execSync('npm run build --silent', { cwd: ROOT, stdio: ['ignore', 2, 2] });
  const bundlePath = join(ROOT, 'dist', 'handler.js');

  const tmpDir = mkdtempSync(join(os.tmpdir(), 'kinesis-bench-'));
  const receivers: ReceiverProcess[] = [];
  try {
    const scripts = await buildWorkers(join(ROOT, 'bench'), tmpDir);
    const emptyHandlerPath = await buildEmptyHandler(tmpDir);
    const bundle = await analyzeBundle(ROOT, tmpDir);

    const spec = { recordsPerBatch: RECORDS_PER_BATCH, partitionKeys: PARTITION_KEYS };
    const eventsFile = join(tmpDir, 'events.ndjson');
    const batches = WARMUP_BATCHES + options.batches;
    writeFileSync(eventsFile, buildBatches({ ...spec, batches, payloadBytes: PAYLOAD_BYTES }).join('\n'));
    const maxPayloadBytes = payloadBytesForEvent(MAX_EVENT_BYTES, RECORDS_PER_BATCH);
    const [warmup = ''] = buildBatches({ ...spec, batches: 1, payloadBytes: PAYLOAD_BYTES });
    const [maxBatch = ''] = buildBatches(
      { ...spec, batches: 1, payloadBytes: maxPayloadBytes },
      RECORDS_PER_BATCH,
    );
    const maxBatchFile = join(tmpDir, 'max-batch.ndjson');
    writeFileSync(maxBatchFile, `${warmup}\n${maxBatch}`);

    for (const latencyMs of options.latenciesMs) {
      receivers.push(await startReceiverProcess(scripts, latencyMs));
    }
    const { steps, collected } = planSteps({
      options,
      scripts,
      receivers,
      bundlePath,
      emptyHandlerPath,
      eventsFile,
      maxBatchFile,
      tmpDir,
      concurrency: CONCURRENCY,
      recordsPerBatch: RECORDS_PER_BATCH,
    });
    const progress = new Progress(steps.length);
    for (const step of steps) {
      progress.step(step.label);
      await step.run();
    }
    progress.finish();

    const loadAverageAtEnd = os.loadavg()[0] ?? 0;
    const { cells, comparisons } = summarizeThroughput(collected.raw.throughput);
    const load = summarizeLoad(collected.raw.load);
    const results: BenchResults = {
      date: startedAt.toISOString(),
      note: [
        options.note,
        Math.max(machine.loadAverageAtStart, loadAverageAtEnd) > machine.cores / 2
          ? 'The machine was busy with other work while this ran (see the load average): numbers are noisy.'
          : 'The machine was quiet while this ran (load average below half the cores).',
      ]
        .filter(Boolean)
        .join(' '),
      machine: { ...machine, loadAverageAtEnd: Math.round(loadAverageAtEnd * 100) / 100 },
      options,
      workload: {
        recordsPerBatch: RECORDS_PER_BATCH,
        partitionKeys: PARTITION_KEYS,
        payloadBytes: PAYLOAD_BYTES,
        concurrency: CONCURRENCY,
        warmupBatches: WARMUP_BATCHES,
        measuredBatches: options.latenciesMs.flatMap((latencyMs) =>
          VARIANT_NAMES.map((variant) => ({
            latencyMs,
            variant,
            batches: measuredBatches(variant, latencyMs, options.batches, RECORDS_PER_BATCH),
          })),
        ),
        maxBatch: {
          records: RECORDS_PER_BATCH,
          eventBytes: Buffer.byteLength(maxBatch),
          payloadBytes: maxPayloadBytes,
        },
      },
      throughput: cells,
      comparisons,
      memory: summarizeMemory(collected.raw.memory),
      bundle,
      load,
      profiles: collected.profiles,
      targets: evaluateTargets({ comparisons, bundleBytes: bundle.bytes, loadOverEmptyMs: load.overEmptyMs }),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    };

    process.stdout.write(formatConsoleReport(results));
    if (options.write) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(RESULTS_DIR, 'chart.svg'), renderChart(results));
      writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarksMarkdown(results));
      replaceReadmeSection(README, renderReadmeSection(results));
      say('wrote bench/results/results.json, bench/results/chart.svg, BENCHMARKS.md and docs/benchmarks.md');
    }
  } finally {
    for (const receiver of receivers) await receiver.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = 1;
});
