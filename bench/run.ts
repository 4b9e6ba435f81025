// `npm run bench`: this function against the floor, the original algorithm and the peer; with tracing on, in batch
// mode, adaptive against static concurrency, and the ledger under faults. See BENCHMARKS.md. Prints the
// results and writes them to .local/bench; `--write` keeps them in bench/results and regenerates the docs from them,
// `--render` only regenerates the docs from the committed results.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseConfig } from '../src/config';
import { UsageError } from '../src/lib/errors';
import { DEFAULT_CHAOS_SEED } from '../test/helpers/chaos-scenario';
import { analyzeBundle, buildEmptyHandler, buildPeerBundle, buildWorkers } from './harness/bundle';
import { describeMachine } from './harness/machine';
import { type ReceiverProcess, startReceiverProcess } from './harness/measure';
import { parseOptions, USAGE } from './harness/options';
import {
  eventsFileBatches,
  LOAD_CONTROL,
  LOAD_CONTROL_SETUPS,
  loadControlBatches,
  measuredBatches,
  planSteps,
  WARM_AFTER_BATCHES,
  WARMUP_BATCHES,
} from './harness/plan';
import { Progress } from './harness/progress';
import { buildBatches, payloadBytesForEvent } from './harness/workload';
import { REPO_ROOT } from './paths';
import { formatConsoleReport } from './report/console';
import { asSentence } from './report/format';
import { renderGeneratedFiles, writeGeneratedFiles } from './report/generated-docs';
import {
  type BenchResults,
  summarizeLoad,
  summarizeLoadControl,
  summarizeMemory,
  summarizeThroughput,
} from './report/results';
import { saveBenchRun } from './report/save-run';
import { evaluateTargets } from './report/targets';

const ROOT = REPO_ROOT;

const RECORDS_PER_BATCH = 100;
const PARTITION_KEYS = 20;
const PAYLOAD_BYTES = 1024;
// Lambda's limit on an invocation's payload: the maximum-size batch.
const MAX_EVENT_BYTES = 6 * 1024 * 1024;
// This function's default FORWARD_CONCURRENCY, which the floor gets too.
const CONCURRENCY = parseConfig({ FORWARD_URL: 'http://127.0.0.1/' }).concurrency;

const say = (text: string) => process.stderr.write(`${text}\n`);
const shown = (paths: readonly string[]) => paths.map((path) => relative(ROOT, path)).join(', ');

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.render) {
    const written = writeGeneratedFiles(ROOT);
    say(written.length === 0 ? 'every generated file is up to date' : `wrote ${shown(written)}`);
    return;
  }
  // Fails before measuring when a generated section has lost its markers.
  if (options.write) renderGeneratedFiles(ROOT);
  const startedAt = new Date();
  const machine = describeMachine();
  say(`kinesis-http-forwarder bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
  say('building dist/handler.js (npm run build)');
  execSync('npm run build --silent', { cwd: ROOT, stdio: ['ignore', 2, 2] });
  const bundlePath = join(ROOT, 'dist', 'handler.js');

  const tmpDir = mkdtempSync(join(os.tmpdir(), 'kinesis-bench-'));
  const receivers: ReceiverProcess[] = [];
  try {
    const scripts = await buildWorkers(tmpDir);
    const emptyHandlerPath = await buildEmptyHandler(tmpDir);
    const peer = await buildPeerBundle(tmpDir);
    const bundle = await analyzeBundle(ROOT, tmpDir);

    const spec = { recordsPerBatch: RECORDS_PER_BATCH, partitionKeys: PARTITION_KEYS };
    const eventsFile = join(tmpDir, 'events.ndjson');
    const batches = eventsFileBatches(options.batches);
    writeFileSync(eventsFile, buildBatches({ ...spec, batches, payloadBytes: PAYLOAD_BYTES }).join('\n'));
    const loadControlEventsFile = join(tmpDir, 'load-control.ndjson');
    const loadControlBatchesMost = Math.max(
      ...LOAD_CONTROL_SETUPS.map((setup) => loadControlBatches(setup, options.batches)),
    );
    writeFileSync(
      loadControlEventsFile,
      buildBatches({
        ...spec,
        batches: WARMUP_BATCHES + loadControlBatchesMost,
        payloadBytes: PAYLOAD_BYTES,
      }).join('\n'),
    );
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
    const limited = await startReceiverProcess(scripts, LOAD_CONTROL.latencyMs, LOAD_CONTROL.capacity);
    const unlimited =
      receivers.find((receiver) => receiver.latencyMs === LOAD_CONTROL.latencyMs) ??
      (await startReceiverProcess(scripts, LOAD_CONTROL.latencyMs));
    receivers.push(limited, ...(receivers.includes(unlimited) ? [] : [unlimited]));
    const { steps, collected } = planSteps({
      options,
      scripts,
      receivers,
      loadControlReceivers: { capacity: limited, unlimited },
      bundlePath,
      peerBundlePath: peer.path,
      emptyHandlerPath,
      eventsFile,
      loadControlEventsFile,
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
    const load = summarizeLoad(collected.raw);
    const loadControl = {
      latencyMs: LOAD_CONTROL.latencyMs,
      capacity: LOAD_CONTROL.capacity,
      ordering: LOAD_CONTROL.ordering,
      recordsPerBatch: RECORDS_PER_BATCH,
      cells: summarizeLoadControl(collected.raw.loadControl),
    };
    const ledger = { seed: DEFAULT_CHAOS_SEED, cases: collected.raw.ledger };
    const results: BenchResults = {
      date: startedAt.toISOString(),
      note: [
        options.note === undefined ? undefined : asSentence(options.note),
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
        warmAfterBatches: WARM_AFTER_BATCHES,
        measuredBatches: cells.map(({ latencyMs, variant }) => ({
          latencyMs,
          variant,
          batches: measuredBatches(variant, latencyMs, options.batches, RECORDS_PER_BATCH),
        })),
        maxBatch: {
          records: RECORDS_PER_BATCH,
          eventBytes: Buffer.byteLength(maxBatch),
          payloadBytes: maxPayloadBytes,
        },
      },
      throughput: cells,
      comparisons,
      memory: summarizeMemory(collected.raw.memory),
      bundle: { ...bundle, peerBytes: peer.bytes },
      load,
      loadControl,
      ledger,
      profiles: collected.profiles,
      targets: evaluateTargets({
        throughput: cells,
        comparisons,
        bundleBytes: bundle.bytes,
        load,
        loadControl,
        ledger,
      }),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    };

    process.stdout.write(formatConsoleReport(results));
    say(`wrote ${shown(saveBenchRun(ROOT, results, options.write))}`);
    if (!options.write) say('nothing tracked by git changed: npm run bench -- --write keeps the results');
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
