import { SERIAL_RUN_BUDGET_MS } from '../harness/plan';
import { TIMEOUT_MS } from '../variants/lambda-bundle';
import { explainMiss } from './explain';
import { batchFinding, ledgerFinding, loadControlFinding, tracingFinding, warmFinding } from './findings';
import { formatBytes, formatMicrosAsMs, markdownTable } from './format';
import { machineLine, runLine } from './provenance';
import type { BenchResults } from './results';
import {
  batchTable,
  comparisonTable,
  ledgerTable,
  loadControlTable,
  memoryTable,
  shareTable,
  startupTable,
  type Table,
  targetsTable,
  throughputTable,
  tracingTable,
  warmTable,
} from './tables';
import { TARGET_LATENCY_MS } from './targets';

const md = (table: Table) => markdownTable(table.header, table.rows);

// A section of the report: its title, what it is, its table and what the numbers say; nothing when the results do
// not have its rows (older results).
const section = (title: string, intro: string, table: Table | undefined, finding: string): string[] =>
  table === undefined
    ? []
    : [`## ${title}`, '', ...(intro ? [intro, ''] : []), md(table), '', ...(finding ? [finding, ''] : [])];

// The method, with the workload of the run it describes; the rows a run did not have are not described.
const method = (results: BenchResults): string => {
  const { workload, options } = results;
  const { concurrency, maxBatch } = workload;
  const warmup =
    workload.warmupBatches === 1 ? 'one warm-up batch' : `${workload.warmupBatches} warm-up batches`;
  const has = (variant: BenchResults['throughput'][number]['variant']) =>
    results.throughput.some((cell) => cell.variant === variant);
  const peer = has('peer')
    ? `- **peer**: the consumer a user would write with the usual tools (\`bench/variants/peer/handler.ts\`):
  Powertools' \`BatchProcessor\` and \`processPartialResponse\`, all records of a batch at once (Powertools' default),
  each a plain \`axios.post(url, JSON.stringify(record.kinesis))\` through axios' default instance and stock adapter;
  no ordering, no concurrency cap, no retries of its own. Bundled with the function's esbuild options
  (\`scripts/lambda-build.ts\`) and driven like the function.
`
    : '';
  const settings =
    has('traced-sampled') || has('batched')
      ? `- **This function with other settings**, beside the others at ${TARGET_LATENCY_MS} ms: tracing on as deployed
  (\`Tracing: Active\`: \`AWS_EXECUTION_ENV\` set, so Powertools' tracer loads the X-Ray SDK, and \`LAMBDA_TASK_ROOT\`,
  so the SDK runs in its Lambda mode), every invocation with a fresh \`_X_AMZN_TRACE_ID\` as Lambda's runtime sets
  it, \`Sampled=1\` or \`Sampled=0\`; the SDK sends its subsegments over UDP to a port on 127.0.0.1 that the receiver
  process reads and counts (a sampled run must send some, an unsampled one none). And batch mode,
  \`FORWARD_BATCH_MAX_RECORDS=100\` with the default 1 MB limit: a JSON array of records per request.
`
      : '';
  const warm =
    workload.warmAfterBatches === undefined
      ? ''
      : `- **Cold and warm**: the standard workload's batches come right after the warm-up batch, so they include the
  JIT's warm-up, as in a container's first invocations. The same process then handles batches up to the
  ${workload.warmAfterBatches}th unmeasured and measures the ${options.batches} after them again: warm, as in a container that has run a while.
  One at a time is bound by round trips from its first record on and is measured once.
`;
  const loadControl = results.loadControl
    ? `- **Adaptive and static concurrency**: this function with \`FORWARD_ORDERING=${results.loadControl.ordering}\` (so the keys do not cap the
  requests in flight) against a receiver process that serves ${results.loadControl.capacity} requests at once after ${results.loadControl.latencyMs} ms and answers
  503 at once beyond, and against one without limit; \`FORWARD_ADAPTIVE_CONCURRENCY\` on or off, \`FORWARD_CONCURRENCY\`
  the ceiling or the static number. Batches go through Lambda's event source mapping as simulated by
  \`test/helpers/event-source-simulation.ts\` (unlimited retries, 10-100 ms backoff): a record the function reports
  failed is sent again, from the lowest failed record on, so every run delivers every record; the container, and
  the limit it keeps, lives through all of a run's invocations. Refused requests are counted after the warm-up
  batch, over the requests the receiver accepted.
`
    : '';
  const ledger = results.ledger
    ? `- **The ledger under faults**: the fault-injection suite's scenario (\`test/helpers/chaos-scenario.ts\`, seed
  \`${results.ledger.seed}\`; see [docs/fault-injection.md](docs/fault-injection.md)) run on \`dist/handler.js\`, every
  \`FORWARD_ORDERING\` mode with \`FORWARD_LEDGER=memory\` and \`off\`, the ${results.ledger.cases.length} runs side by side in their own processes.
  Duplicates are accepted requests beyond the first of a record, over the records.
`
    : '';
  return `## How it is measured

\`npm run bench\` builds \`dist/handler.js\` (\`npm run build\`) and compares forwarders sending the same records to the
same receiver:

- **this function**: the real bundle, loaded with \`require()\` and driven as Lambda drives it: \`handler(event,
  context)\` once per batch, one batch after another, each event parsed from its JSON text as the runtime does,
  with a Lambda context (\`src/hosts/lambda-context.ts\`, \`getRemainingTimeInMillis\` counting down from ${TIMEOUT_MS / 1000} s)
  and only \`FORWARD_URL\` set, so every other setting is its default: \`FORWARD_CONCURRENCY\` ${concurrency}, INFO logging,
  metrics on (EMF to stdout), tracing off as Powertools decides outside Lambda. Its stdout goes to \`/dev/null\`: the
  log and metric lines are produced and written (their cost counts) but no terminal slows them down.
- **one at a time**: the original forwarder's algorithm on today's Node, written for the bench
  (\`bench/variants/one-at-a-time.ts\`): the records of a batch one after another in batch order, each awaited
  before the next, the first failure failing the invocation. It uses plain \`node:http\` with \`http.globalAgent\`,
  which keeps connections alive by default since Node 19: what the original's code gets on today's Node, and
  the kinder choice for it (a new connection per record would only make it slower).
- **floor**: the least a forwarder with this function's ordering must do (\`bench/variants/floor-client.ts\`):
  one keep-alive \`node:http\` agent capped at the same ${concurrency} sockets, the records of each partition key one at a
  time in order, keys in parallel; no retries, timeouts, validation, logs or metrics.
${peer}
${
  peer
    ? "All send the record's `kinesis` object as JSON, one request per record; all but the peer send `Idempotency-Key`."
    : "All three send the same request (the record's `kinesis` object as JSON, `Idempotency-Key`), one per record."
}

- **Receiver**: an HTTP server on 127.0.0.1 in its own process (its CPU is not counted against anyone), one per
  latency, answering 200 after the latency (at once for 0 ms). It counts the records and checks that every one
  arrives, once, and those of each partition key in sequence order where the forwarder promises it; a run where
  anything is missing, repeated or out of order fails the bench.
- **Workload**: batches of ${workload.recordsPerBatch} records with a ${workload.payloadBytes}-byte payload each over ${workload.partitionKeys} partition keys,
  sequence numbers increasing across batches. Each run is a fresh process (so its CPU time, from
  \`process.cpuUsage()\`, and its memory are its own) that sends ${warmup} (connections opened, code
  compiled), then the measured batches. One at a time sends fewer measured batches where ${options.batches} would take
  more than ${SERIAL_RUN_BUDGET_MS / 1000} s (it handles one record per round trip from the first batch on, so its rate does not
  change); the table shows records per run.
${warm}${settings}- **Alternation**: run by run, every latency and every variant in turn, the variant order rotating, so noise on
  the machine hits all of them alike. Figures are medians over the runs; the chart shows every run.
${loadControl}${ledger}- **Memory**: one maximum-size batch (${maxBatch.records} records making a ${formatBytes(maxBatch.eventBytes)} event, near Lambda's invocation
  payload limit) after a warm-up batch; peak RSS is the process's high-water mark (what Lambda reports as Max
  Memory Used), peak heap is sampled every millisecond.
- **Load time**: \`require()\` of \`dist/handler.js\` minus \`require()\` of an empty handler bundled with the same
  esbuild options, each timed in fresh processes, taking turns; medians.${
    results.load.deployed
      ? ` Also with the deployed settings: \`--enable-source-maps\`
  (\`NODE_OPTIONS\` in template.yaml's Globals) and tracing on as \`Tracing: Active\` turns it on in Lambda, for the
  empty handler, the function and the peer; the cold-start target is judged with them.`
      : ''
  }
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
    `![Records per second and CPU per record of this function, one at a time${
      results.throughput.some((cell) => cell.variant === 'peer')
        ? ', the floor and the peer'
        : ' and the floor'
    }](${chart})`,
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
    ...section(
      'Cold and warm',
      'Standard: the measured batches right after one warm-up batch (JIT warm-up included). Warm: the same process ' +
        `after ${results.workload.warmAfterBatches ?? 20} batches.`,
      warmTable(results),
      warmFinding(results),
    ),
    '## Throughput and CPU',
    '',
    'CPU busy: CPU time of the process over its wall time (above 100% when V8 and libuv threads work alongside).',
    '',
    md(throughputTable(results)),
    '',
    ...section('Tracing on as deployed', '', tracingTable(results), tracingFinding(results)),
    ...section('Batch mode', '', batchTable(results), batchFinding(results)),
    ...section(
      'Adaptive and static concurrency',
      'Vs static: records per second over the static row against the same receiver (static ' +
        `${results.loadControl?.capacity ?? ''} against the limited one). Refused / delivered: requests answered 503 over ` +
        'requests accepted, after the warm-up batch.',
      loadControlTable(results),
      loadControlFinding(results),
    ),
    ...section(
      'The delivery ledger under injected faults',
      'Duplicate rate: accepted requests beyond the first of a record, over the records. Lost: records never ' +
        'accepted. Out of order: records accepted before the record ahead of them in their key (partition-key) or ' +
        'shard (shard).',
      ledgerTable(results),
      ledgerFinding(results),
    ),
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
