// `npm run soak`: 100,000 records through `npm start` (embedded emulator) while its resident memory is sampled.
// Writes the results to SOAK_OUTPUT (.local/bench/soak.json); `--write` keeps them in bench/results and regenerates
// the docs from them.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../../src/lib/env';
import { UsageError } from '../../src/lib/errors';
import { REPO_ROOT } from '../paths';
import { renderGeneratedFiles } from '../report/generated-docs';
import { saveSoakRun } from '../report/save-run';
import { startCountingReceiver } from './counting-receiver';
import { judgeMemory, type MemorySample } from './memory-verdict';
import { runNpm } from './npm-script';
import { parseSoakOptions, SOAK_USAGE } from './options';
import { descendantsOf, findWorker, residentMemory } from './process-inspection';
import type { SoakResults } from './results';
import { parseSoakConfig } from './soak-config';

const ROOT = REPO_ROOT;

const PAD = 'x'.repeat(100);

const say = (line: string) => process.stdout.write(`[soak] ${line}\n`);

// One JSON line per record, numbered from `from`.
const payloads = (from: number, count: number): string =>
  Array.from(
    { length: count },
    (_, offset) => `${JSON.stringify({ n: from + offset, at: new Date().toISOString(), pad: PAD })}\n`,
  ).join('');

// Signals a process that may have ended already.
const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

const countLines = async (path: string): Promise<number> => {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '').length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
};

const main = async () => {
  const { write, help } = parseSoakOptions(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return;
  }
  const config = parseSoakConfig(process.env);
  // Fails before the run when a generated section has lost its markers.
  if (write) renderGeneratedFiles(ROOT);
  const startedAt = Date.now();
  const deadline = startedAt + config.maxMinutes * 60_000;
  const elapsedS = () => (Date.now() - startedAt) / 1000;

  // Everything of this run lives in .local/soak, fresh each time.
  const work = join(ROOT, '.local', 'soak');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const logPath = join(work, 'npm-start.log');
  const log = createWriteStream(logPath);
  const onFailureFile = join(work, 'failed.jsonl');

  const receiver = await startCountingReceiver();
  // The user's environment, pointed at a new stream and this receiver.
  const { LISTENER_ENDPOINT: _alias, ...inherited } = process.env;
  const embedded = config.kinesisEndpoint === undefined;
  const stream = {
    ...inherited,
    KINESIS_ENDPOINT: config.kinesisEndpoint ?? 'embedded',
    STREAM_NAME: `soak-${startedAt}`,
  };
  const startEnv = {
    ...stream,
    ...(embedded ? { KINESIS_PORT: '0', KINESIS_DATA_DIR: join(work, 'kinesalite') } : {}),
    CHECKPOINT_FILE: join(work, 'checkpoints.json'),
    ...(config.heapMb > 0
      ? {
          NODE_OPTIONS: [inherited.NODE_OPTIONS, `--max-old-space-size=${config.heapMb}`]
            .filter((option) => option?.trim())
            .join(' '),
        }
      : {}),
    ON_FAILURE_FILE: onFailureFile,
    FORWARD_URL: receiver.url,
  };

  say(
    `${config.records} records through npm start (${config.heapMb > 0 ? `heap limit ${config.heapMb} MB` : 'no heap limit'}), at most ${config.maxMinutes} min; its output goes to ${logPath}`,
  );
  const start = runNpm(['start'], { cwd: ROOT, env: startEnv, log });
  const samples: MemorySample[] = [];
  let put = 0;
  let worker: number | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let progress: NodeJS.Timeout | undefined;
  let finished = false;
  try {
    const [, where = ''] = await start.waitFor(/local mode: stream \S+ on (.*)\n/, 120_000);
    const port = where.match(/embedded Kinesis emulator at http:\/\/127\.0\.0\.1:(\d+)/)?.[1] ?? '';
    await start.waitFor(/Ctrl-C stops\./, 60_000);
    for (let tries = 0; worker === undefined && tries < 50; tries += 1) {
      worker = await findWorker(start.child.pid ?? -1, 'src/hosts/local/main.ts');
      if (worker === undefined) await sleep(100);
    }
    if (worker === undefined)
      throw new Error('found no process running src/hosts/local/main.ts under npm start');
    const pid = worker;
    say(`npm start is up (forwarder pid ${pid}, stream on ${where}); sampling its VmRSS every second`);

    const mb = (kb: number | undefined) => (kb === undefined ? undefined : Number((kb / 1024).toFixed(1)));
    const sample = async () => {
      const delivered = receiver.delivered();
      const at = Number(elapsedS().toFixed(1));
      const memory = await residentMemory(pid);
      if (memory === undefined) return;
      const rssMb = mb(memory.rssKb) ?? 0;
      samples.push({ elapsedS: at, delivered, rssMb, anonMb: mb(memory.anonKb), fileMb: mb(memory.fileKb) });
    };
    sampler = setInterval(() => void sample(), 1000);
    progress = setInterval(() => {
      const rss = samples.at(-1)?.rssMb.toFixed(0) ?? '?';
      const rate = Math.round(receiver.delivered() / elapsedS());
      say(
        `put ${put}, delivered ${receiver.delivered()} (${rate}/s overall), RSS ${rss} MB, ${elapsedS().toFixed(0)} s`,
      );
    }, 5000);

    // Put in chunks with `npm run put`, as a user would, never more than `backlog` ahead of the receiver.
    const putEnv = embedded ? { ...stream, KINESIS_PORT: port } : stream;
    const running = () => {
      if (start.child.exitCode !== null || start.child.signalCode !== null) {
        throw new Error(
          `npm start ended by itself (exit ${start.child.exitCode}, signal ${start.child.signalCode}); see ${logPath}`,
        );
      }
      return Date.now() < deadline;
    };
    while (put < config.records && running()) {
      if (put - receiver.delivered() >= config.backlog) {
        await sleep(200);
        continue;
      }
      const count = Math.min(config.chunk, config.records - put);
      const putting = runNpm(['run', '--silent', 'put'], {
        cwd: ROOT,
        env: putEnv,
        stdin: payloads(put, count),
      });
      const { code } = await putting.exited;
      if (code !== 0) {
        running();
        throw new Error(`npm run put failed (exit ${code}):\n${putting.tail()}`);
      }
      put += count;
    }
    while (receiver.delivered() < config.records && running()) await sleep(200);
    finished = receiver.delivered() >= config.records;
    // The last milestone is the moment the last record arrived.
    clearInterval(sampler);
    await sample();
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    // Stop the forwarder like Ctrl-C would, then make sure nothing of it is left running.
    const started = start.child.pid === undefined ? [] : await descendantsOf(start.child.pid);
    if (worker !== undefined) signal(worker, 'SIGTERM');
    else start.child.kill('SIGTERM');
    const ended = await Promise.race([start.exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!ended) {
      for (const { pid } of started.reverse()) signal(pid, 'SIGKILL');
      start.child.kill('SIGKILL');
      await start.exited;
    }
    log.end();
    await receiver.close();
  }

  const durationS = elapsedS();
  const verdict = judgeMemory(samples, config.records, config.tolerance);
  const discarded = await countLines(onFailureFile);
  const { output: _output, ...settings } = config;
  const result: SoakResults = {
    kind: 'soak',
    date: new Date(startedAt).toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
    },
    setup: `npm start with ${embedded ? 'the embedded Kinesis emulator (LevelDB in .local/soak, in the same process)' : `the Kinesis endpoint ${config.kinesisEndpoint} (another process)`} and its defaults (4 shards, batch size 100), forwarding to a loopback receiver answering 204; records written with npm run put`,
    config: settings,
    complete: finished,
    records: config.records,
    put,
    delivered: receiver.delivered(),
    requests: receiver.requests(),
    duplicates: receiver.requests() - receiver.delivered(),
    requestsWithoutIdempotencyKey: receiver.withoutKey(),
    discarded,
    durationS: Number(durationS.toFixed(1)),
    recordsPerSecond: Math.round(receiver.delivered() / durationS),
    memory: {
      ...verdict,
      peakMb: verdict.peakMb === undefined ? undefined : Number(verdict.peakMb.toFixed(1)),
    },
    samples,
  };
  const written = saveSoakRun(ROOT, result, write, resolve(ROOT, config.output));

  say(
    `${result.delivered} of ${config.records} records delivered in ${result.durationS} s (${result.recordsPerSecond}/s), ${result.duplicates} duplicates, ${discarded} discarded`,
  );
  say('RSS of the forwarder process at records delivered:');
  for (const m of verdict.milestones) {
    say(
      `  ${String(m.target).padStart(7)}: ${m.rssMb} MB${m.anonMb === undefined ? '' : ` (${m.anonMb} MB anonymous, ${m.fileMb} MB file-backed)`}, sampled at ${m.delivered} records, ${m.elapsedS} s`,
    );
  }
  say(
    `growth after warm-up: ${verdict.growthMbPer10k ?? '?'} MB per 10,000 records; peak ${result.memory.peakMb ?? '?'} MB`,
  );
  say(verdict.explanation);
  say(`wrote ${written.map((path) => relative(ROOT, path)).join(', ')}`);
  if (!write) say('nothing tracked by git changed: npm run soak -- --write keeps the results');
  const ok = finished && discarded === 0 && verdict.flat;
  if (!finished) say(`incomplete: stopped after ${config.maxMinutes} min`);
  process.exitCode = ok ? 0 : 1;
};

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`[soak] ${error.message}\n${SOAK_USAGE}\n`);
  else
    process.stderr.write(
      `[soak] ${error instanceof ConfigError ? `invalid setting: ${error.message}` : String((error as Error).stack ?? error)}\n`,
    );
  process.exitCode = 1;
});
