import { SERIAL_RUN_BUDGET_MS } from '../harness/plan';
import { TIMEOUT_MS } from '../variants/this-function';
import { explainMiss } from './explain';
import { formatBytes, formatMicrosAsMs, markdownTable } from './format';
import { machineLine, runLine } from './provenance';
import type { BenchResults } from './results';
import {
  comparisonTable,
  memoryTable,
  shareTable,
  startupTable,
  type Table,
  targetsTable,
  throughputTable,
} from './tables';
import { TARGET_LATENCY_MS } from './targets';

const md = (table: Table) => markdownTable(table.header, table.rows);

// The method, with the workload of the run it describes.
const method = (results: BenchResults): string => {
  const { workload, options } = results;
  const { concurrency, maxBatch } = workload;
  const warmup =
    workload.warmupBatches === 1 ? 'one warm-up batch' : `${workload.warmupBatches} warm-up batches`;
  return `## How it is measured

\`npm run bench\` builds \`dist/handler.js\` (\`npm run build\`) and compares three forwarders sending the same records
to the same receiver:

- **this function**: the real bundle, loaded with \`require()\` and driven as Lambda drives it: \`handler(event,
  context)\` once per batch, one batch after another, each event parsed from its JSON text as the runtime does,
  with a Lambda context (\`src/hosts/lambda-context.ts\`, \`getRemainingTimeInMillis\` counting down from ${TIMEOUT_MS / 1000} s)
  and only \`FORWARD_URL\` set, so every other setting is its default: \`FORWARD_CONCURRENCY\` ${concurrency}, INFO logging,
  metrics on (EMF to stdout), tracing as Powertools decides outside Lambda. Its stdout goes to \`/dev/null\`: the
  log and metric lines are produced and written (their cost counts) but no terminal slows them down.
- **one at a time**: the original forwarder's algorithm on today's Node, written for the bench
  (\`bench/variants/one-at-a-time.ts\`): the records of a batch one after another in batch order, each awaited
  before the next, the first failure failing the invocation. It uses plain \`node:http\` with \`http.globalAgent\`,
  which keeps connections alive by default since Node 19: what the original's code gets on today's Node, and
  the kinder choice for it (a new connection per record would only make it slower).
- **floor**: the least a forwarder with this function's ordering must do (\`bench/variants/floor-client.ts\`):
  one keep-alive \`node:http\` agent capped at the same ${concurrency} sockets, the records of each partition key one at a
  time in order, keys in parallel; no retries, timeouts, validation, logs or metrics.

All three send the same request (the record's \`kinesis\` object as JSON, \`Idempotency-Key\`), one per record.

- **Receiver**: an HTTP server on 127.0.0.1 in its own process (its CPU is not counted against anyone), one per
  latency, answering 200 after the latency (at once for 0 ms). It counts the requests and checks that the records
  of each partition key arrive in sequence order; a run where anything is missing or out of order fails the bench.
- **Workload**: batches of ${workload.recordsPerBatch} records with a ${workload.payloadBytes}-byte payload each over ${workload.partitionKeys} partition keys,
  sequence numbers increasing across batches. Each run is a fresh process (so its CPU time, from
  \`process.cpuUsage()\`, and its memory are its own) that sends ${warmup} (connections opened, code
  compiled), then the measured batches. One at a time sends fewer measured batches where ${options.batches} would take
  more than ${SERIAL_RUN_BUDGET_MS / 1000} s (it handles one record per round trip from the first batch on, so its rate does not
  change); the table shows records per run.
- **Alternation**: run by run, every latency and every variant in turn, the variant order rotating, so noise on
  the machine hits all of them alike. Figures are medians over the runs.
- **Memory**: one maximum-size batch (${maxBatch.records} records making a ${formatBytes(maxBatch.eventBytes)} event, near Lambda's invocation
  payload limit) after a warm-up batch; peak RSS is the process's high-water mark (what Lambda reports as Max
  Memory Used), peak heap is sampled every millisecond.
- **Load time**: \`require()\` of \`dist/handler.js\` minus \`require()\` of an empty handler bundled with the same
  esbuild options, each timed in fresh processes, alternating; medians.
- **Profiles**: a separate run of this function and of the floor, and a separate load, each with a V8 CPU profile
  of the measured part only (taken through the inspector; profiling slows them down), attributed through the
  bundle's source map. For the runs, by self time: what the CPU was running when sampled. For the load, by the
  nearest package on the stack, so Node.js core work (compiling a built-in module a package requires) counts to
  the package that caused it.
- **Targets**: the project's performance goals for the function, the throughput and CPU ones judged at ${TARGET_LATENCY_MS} ms
  receiver latency.

Run \`npm run bench -- --help\` for the options (\`--runs\`, \`--quick\`, \`--latencies\`, \`--write\`, ...).
`;
};

/**
 * BENCHMARKS.md: the chart, every table, the targets with why each miss happened, and the method. `chart` is the
 * chart's path relative to where the file is written.
 */
export const renderBenchmarksMarkdown = (
  results: BenchResults,
  chart = 'bench/results/chart.svg',
): string => {
  const misses = results.targets.filter((target) => target.status === 'MISS');
  const sections = [
    '# Benchmarks',
    '',
    `_Generated from \`bench/results/results.json\` by \`npm run bench -- --write\` (or \`--render\`); do not edit. ${runLine(results)}._`,
    '',
    `**Machine:** ${machineLine(results)}. ${results.note}`,
    '',
    `![Records per second and CPU per record of this function, one at a time and the floor](${chart})`,
    '',
    '## Targets',
    '',
    md(targetsTable(results)),
    '',
    ...misses.flatMap((target) => [
      `**Why ${target.target} was missed.** ${explainMiss(target, results)}`,
      '',
    ]),
    '## This function compared',
    '',
    "Time vs floor's: this function's time for the same records over the floor's (1.00x = as fast). Faster than one",
    "at a time: its records per second over one-at-a-time's. From the medians below.",
    '',
    md(comparisonTable(results)),
    '',
    '## Throughput and CPU',
    '',
    'CPU busy: CPU time of the process over its wall time (above 100% when V8 and libuv threads work alongside).',
    '',
    md(throughputTable(results)),
    '',
    `## Memory for one maximum-size batch (${formatBytes(results.workload.maxBatch.eventBytes)} event)`,
    '',
    md(memoryTable(results)),
    '',
    '## Bundle and cold start',
    '',
    md(startupTable(results)),
    '',
    md(shareTable('package (bytes in dist/handler.js)', results.bundle.packages, formatBytes)),
    '',
  ];
  if (!results.bundle.breakdownMatches) {
    sections.push(
      '_The breakdown comes from a rebuild whose size differs from dist/handler.js: bench/harness/bundle.ts and',
      'scripts/lambda-build.ts have drifted apart._',
      '',
    );
  }
  if (results.profiles) {
    const { profiles } = results;
    sections.push(
      '## Where the CPU time goes',
      '',
      `The measured batches at ${profiles.latencyMs} ms by self time, and loading dist/handler.js by the package`,
      'that caused the work (see How it is measured).',
      '',
      md(shareTable('this function', profiles.thisFunction, formatMicrosAsMs)),
      '',
      md(shareTable('floor', profiles.floor, formatMicrosAsMs)),
      '',
      md(shareTable('loading dist/handler.js (by causing package)', profiles.load, formatMicrosAsMs)),
      '',
    );
  }
  sections.push(method(results));
  return sections.join('\n');
};
