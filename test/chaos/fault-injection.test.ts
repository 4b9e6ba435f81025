import { ORDERING_MODES } from '../../src/config';
import { captureOutput } from '../helpers/capture-output';
import {
  CHAOS_LEDGER_MODES,
  CHAOS_TIMEOUT_MS,
  type ChaosRun,
  DEFAULT_CHAOS_SEED,
  MAX_DUPLICATE_RATE,
  runChaosCase,
} from '../helpers/chaos-scenario';
import { formatSummary, writeSummary } from '../helpers/chaos-summary';
import { loadHandler } from '../helpers/load-handler';

// Fixed so a failure replays; CHAOS_SEED=anything explores other fault plans.
const SEED = process.env.CHAOS_SEED?.trim() || DEFAULT_CHAOS_SEED;

// Every mode with the ledger (the default) and without it, to show what it saves.
const CASES = ORDERING_MODES.flatMap((ordering) =>
  CHAOS_LEDGER_MODES.map((ledger) => [ordering, ledger] as const),
);

describe.each(CASES)(
  'under injected faults, with FORWARD_ORDERING=%s and FORWARD_LEDGER=%s',
  (ordering, ledger) => {
    let chaos: ChaosRun;

    beforeAll(async () => {
      // Arrange, act (the function's own output, a line per invocation, would bury the summary)
      const output = captureOutput();
      try {
        chaos = await runChaosCase({ ordering, ledger, seed: SEED, newInstance: (env) => loadHandler(env) });
      } finally {
        output.restore();
      }
      const path = await writeSummary(chaos.summary);
      console.log(`${formatSummary(chaos.summary)}\n  written to ${path}`);
    }, 150_000);

    it('injected every kind of fault, so the run proves something', () => {
      for (const count of Object.values(chaos.summary.faults)) expect(count).toBeGreaterThan(0);
      expect(chaos.summary.retriedBatches).toBeGreaterThan(0);
    });

    it('delivers every record at least once and discards none', () => {
      expect(chaos.audit.undelivered).toEqual([]);
      expect(chaos.run.discarded).toEqual([]);
    });

    it('checkpoints a record only after the receiver accepted it', () => {
      expect(chaos.audit.unconfirmed).toEqual([]);
    });

    it('sends every request of a record, retries included, with its eventID as Idempotency-Key and its body unchanged', () => {
      expect(chaos.audit.wrongKeys).toEqual([]);
      expect(chaos.audit.alteredBodies).toEqual([]);
      expect(chaos.audit.mostRequestsForOneRecord).toBeGreaterThan(1);
    });

    if (ordering !== 'none') {
      const group = ordering === 'shard' ? 'shard' : 'partition key';
      it(`never delivers a record before an earlier record of its ${group}`, () => {
        expect(chaos.audit.outOfOrder).toEqual([]);
      });
    }

    if (ordering === 'shard') {
      // One record at a time per shard: the faults of a batch add up, so the time budget is what ends invocations.
      it('runs invocations up to their deadline, so answering in time is really tested', () => {
        expect(chaos.summary.reachedDeadline).toBeGreaterThan(0);
      });
    }

    if (ledger === 'memory') {
      it(`delivers at most ${MAX_DUPLICATE_RATE * 100}% of the records twice: the ledger keeps Lambda's resends from going out`, () => {
        expect(chaos.summary.duplicateRate).toBeLessThanOrEqual(MAX_DUPLICATE_RATE);
      });
    }

    it('answers every invocation before the Lambda timeout', () => {
      expect(chaos.summary.timedOut).toBe(0);
      expect(chaos.summary.longestInvocationMs).toBeLessThan(CHAOS_TIMEOUT_MS);
    });
  },
);
