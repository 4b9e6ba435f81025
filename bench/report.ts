import { explainMiss } from './explain';
import { formatBytes, formatNumber, markdownTable, textTable } from './format';
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

const text = (title: string, table: Table) => `${title}\n${textTable(table.header, table.rows)}\n`;

const microseconds = (us: number) => `${formatNumber(us / 1000)} ms`;

const machineLine = (results: BenchResults) => {
  const { machine } = results;
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ` +
    `one-minute load average ${machine.loadAverageAtStart} when the run started` +
    (machine.loadAverageAtEnd === undefined ? '' : `, ${machine.loadAverageAtEnd} when it ended`)
  );
};

/** The results as plain-text tables, for the terminal. */
export const formatConsoleReport = (results: BenchResults): string => {
  const sections = [
    `\nkinesis-http-forwarder bench, ${results.date} (${results.durationSeconds} s)`,
    machineLine(results),
    `${results.note}\n`,
    text('Throughput (medians of the runs)', throughputTable(results)),
    text('This function compared', comparisonTable(results)),
    text(
      `Memory for one maximum-size batch (${formatBytes(results.workload.maxBatch.eventBytes)} event)`,
      memoryTable(results),
    ),
    text('Bundle and cold start', startupTable(results)),
    text('Bundle by package', shareTable('package', results.bundle.packages, formatBytes)),
  ];
  if (results.profiles) {
    const { profiles } = results;
    sections.push(
      text(
        `CPU profile, this function at ${profiles.latencyMs} ms`,
        shareTable('where', profiles.thisFunction, microseconds),
      ),
      text(
        `CPU profile, floor at ${profiles.latencyMs} ms`,
        shareTable('where', profiles.floor, microseconds),
      ),
      text(
        'CPU profile, loading dist/handler.js (by causing package)',
        shareTable('where', profiles.load, microseconds),
      ),
    );
  }
  sections.push(text('Targets (issue 5)', targetsTable(results)));
  return `${sections.join('\n')}\n`;
};

const md = (table: Table) => markdownTable(table.header, table.rows);

const runLine = (results: BenchResults) =>
  `${results.date} · medians of ${results.options.runs} runs · ${results.durationSeconds} s` +
  (results.options.quick ? ' · --quick' : '');

/** The headline for docs/benchmarks.md: the comparison table, the targets and a link to the details. */
export const renderReadmeSection = (results: BenchResults): string =>
  [
    `Measured with \`npm run bench\` (${runLine(results)}; ${machineLine(results)}). ${results.note}`,
    '',
    md(comparisonTable(results)),
    '',
    md(targetsTable(results)),
    '',
    'Chart, all numbers, what was missed and why, and how it is measured: [BENCHMARKS.md](../BENCHMARKS.md).',
  ].join('\n');

const METHOD = `## How it is measured

\`npm run bench\` builds \`dist/handler.js\` (\`npm run build\`) and compares three forwarders sending the same records
to the same receiver:

- **this function**: the real bundle, loaded with \`require()\` and driven as Lambda drives it: \`handler(event,
  context)\` once per batch, one batch after another, each event parsed from its JSON text as the runtime does,
  with a Lambda-like context (\`getRemainingTimeInMillis\` counting down from 60 s) and only \`FORWARD_URL\` set, so
  every other setting is its default: \`FORWARD_CONCURRENCY\` 10, INFO logging, metrics on (EMF to stdout), tracing
  as Powertools decides outside Lambda. Its stdout goes to \`/dev/null\`: the log and metric lines are produced
  and written (their cost counts) but no terminal slows them down.
- **one at a time**: the original forwarder's algorithm on today's Node, written for the bench
  (\`bench/variants/one-at-a-time.ts\`): the records of a batch one after another in batch order, each awaited
  before the next, the first failure failing the invocation. It uses plain \`node:http\` with \`http.globalAgent\`,
  which keeps connections alive by default since Node 19: what the original's code gets on today's Node, and
  the kinder choice for it (a new connection per record would only make it slower).
- **floor**: the least a forwarder with this function's ordering must do (\`bench/variants/floor-client.ts\`):
  one keep-alive \`node:http\` agent capped at the same 10 sockets, the records of each partition key one at a
  time in order, keys in parallel; no retries, timeouts, validation, logs or metrics.

All three send the same request (the record's \`kinesis\` object as JSON, \`Idempotency-Key\`), one per record.

- **Receiver**: an HTTP server on 127.0.0.1 in its own process (its CPU is not counted against anyone), one per
  latency, answering 200 after the latency (at once for 0 ms). It counts the requests and checks that the records
  of each partition key arrive in sequence order; a run where anything is missing or out of order fails the bench.
- **Workload**: batches of 100 records of 1 KiB payload over 20 partition keys, sequence numbers increasing
  across batches. Each run is a fresh process (so its CPU time, from \`process.cpuUsage()\`, and its memory are its
  own) that sends one warm-up batch (connections opened, code compiled), then the measured batches. One at a time
  sends fewer measured batches where 10 would take more than 6 s (it handles one record per round trip from the
  first batch on, so its rate does not change); the table shows records per run.
- **Alternation**: run by run, every latency and every variant in turn, the variant order rotating, so noise on
  the machine hits all of them alike. Figures are medians over the runs.
- **Memory**: one maximum-size batch (100 records making a 6 MB event, Lambda's invocation payload limit) after
  a warm-up batch; peak RSS is the process's high-water mark (what Lambda reports as Max Memory Used), peak heap
  is sampled every millisecond.
- **Load time**: \`require()\` of \`dist/handler.js\` minus \`require()\` of an empty handler bundled with the same
  esbuild options, each timed in fresh processes, alternating; medians.
- **Profiles**: a separate run of this function and of the floor, and a separate load, each with a V8 CPU profile
  of the measured part only (taken through the inspector; profiling slows them down), attributed through the
  bundle's source map. For the runs, by self time: what the CPU was running when sampled. For the load, by the
  nearest package on the stack, so Node.js core work (compiling a built-in module a package requires) counts to
  the package that caused it.
- **Targets** are those of issue 5, judged at 5 ms receiver latency.

Run \`npm run bench -- --help\` for the options (\`--runs\`, \`--quick\`, \`--latencies\`, ...).
`;

/** BENCHMARKS.md: the chart, every table, the targets with why each miss happened, and the method. */
export const renderBenchmarksMarkdown = (results: BenchResults): string => {
  const misses = results.targets.filter((target) => target.status === 'MISS');
  const sections = [
    '# Benchmarks',
    '',
    `_Written by \`npm run bench\`; rerun it rather than editing this file. ${runLine(results)}._`,
    '',
    `**Machine:** ${machineLine(results)}. ${results.note}`,
    '',
    '![Records per second and CPU per record of this function, one at a time and the floor](bench/results/chart.svg)',
    '',
    '## Targets (issue 5)',
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
      '_The breakdown comes from a rebuild whose size differs from dist/handler.js: bench/bundle.ts and',
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
      md(shareTable('this function', profiles.thisFunction, microseconds)),
      '',
      md(shareTable('floor', profiles.floor, microseconds)),
      '',
      md(shareTable('loading dist/handler.js (by causing package)', profiles.load, microseconds)),
      '',
    );
  }
  sections.push(METHOD);
  return sections.join('\n');
};
