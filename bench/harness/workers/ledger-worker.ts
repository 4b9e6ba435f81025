// Child process: one case of the fault-injection scenario (test/helpers/chaos-scenario.ts) run with the function's
// bundle, a fresh copy of it per shard as Lambda runs an instance per shard. Argument: a LedgerJob as JSON.
// Replies { type: 'result', ...LedgerCase }.
import { createRequire } from 'node:module';
import { runChaosCase } from '../../../test/helpers/chaos-scenario';
import { setFunctionEnvironment } from '../../../test/helpers/load-handler';
import type { LambdaHandler } from '../../variants/lambda-bundle';
import type { LedgerCase, LedgerJob } from '../jobs';

const job = JSON.parse(process.argv[2] ?? '') as LedgerJob;
const load = createRequire(job.bundlePath);

const { summary, audit, run } = await runChaosCase({
  ordering: job.ordering,
  ledger: job.ledger,
  seed: job.seed,
  records: job.records,
  newInstance: (env) => {
    setFunctionEnvironment(env);
    delete load.cache[job.bundlePath];
    return (load(job.bundlePath) as { handler: LambdaHandler }).handler;
  },
});

const result: LedgerCase = {
  ordering: summary.ordering,
  ledger: summary.ledger,
  records: summary.records,
  requests: summary.requests,
  accepted: summary.accepted,
  duplicates: summary.duplicates,
  duplicateRate: summary.duplicateRate,
  lost: audit.undelivered.length + run.discarded.length,
  outOfOrder: audit.outOfOrder.length,
  invocations: summary.invocations,
  retriedBatches: summary.retriedBatches,
  timedOut: summary.timedOut,
  elapsedMs: summary.elapsedMs,
};
// Exit explicitly: the function's connections outlive the run.
process.send?.({ type: 'result', ...result }, () => process.exit(0));
