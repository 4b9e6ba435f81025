import { type LedgerMode, ORDERING_MODES, type OrderingMode } from '../../src/config';
import type { RetryPolicy } from '../../src/hosts/local/mapping/event-source-mapping';
import { captureOutput } from '../helpers/capture-output';
import { type ChaosSummary, formatSummary, summarize, writeSummary } from '../helpers/chaos-summary';
import { auditDeliveries, type DeliveryAudit } from '../helpers/delivery-audit';
import { runEventSourceMapping, type SimulationResult } from '../helpers/event-source-simulation';
import { type FaultMix, type FaultyReceiver, startFaultyReceiver } from '../helpers/faulty-receiver';
import { loadHandler } from '../helpers/load-handler';
import { simulatedStream } from '../helpers/simulated-stream';

// Fixed so a failure replays; CHAOS_SEED=anything explores other fault plans.
const SEED = process.env.CHAOS_SEED?.trim() || 'default';

// `shard` sends one record at a time per shard, so every fault delays the whole shard: fewer records keep it quick.
const RECORDS: Record<OrderingMode, number> = { 'partition-key': 3000, shard: 1000, none: 3000 };
const KEYS = 40;
/** One hot key makes long lanes, which run into the invocation deadline. */
const HOT_KEY_SHARE = 0.15;
const SHARDS = 2;
const BATCH_SIZE = 100;
/** The function's Lambda timeout; short, so the deadline margin and the attempt timeout below bite. */
const TIMEOUT_MS = 2000;
const DEADLINE_MARGIN_MS = 500;
const ATTEMPT_TIMEOUT_MS = 400;

const MIX: FaultMix = {
  unavailable: 0.04,
  throttled: 0.006,
  reset: 0.03,
  hang: 0.01,
  late: 0.01,
  slow: 0.05,
};

// Lambda's mapping with unlimited retries (nothing may be discarded), its backoff shortened for the test.
const POLICY: RetryPolicy = {
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  backoffBaseMs: 10,
  backoffMaxMs: 100,
};

/** The most duplicates, as a share of the records, that a run with the ledger may deliver. */
const MAX_DUPLICATE_RATE = 0.05;

// Every mode with the ledger (the default) and without it, to show what it saves.
const CASES = ORDERING_MODES.flatMap((ordering) =>
  (['memory', 'off'] as const satisfies readonly LedgerMode[]).map((ledger) => [ordering, ledger] as const),
);

describe.each(CASES)(
  'under injected faults, with FORWARD_ORDERING=%s and FORWARD_LEDGER=%s',
  (ordering, ledger) => {
    const records = RECORDS[ordering];
    const stream = simulatedStream({
      records,
      keys: KEYS,
      shards: SHARDS,
      seed: SEED,
      hotKeyShare: HOT_KEY_SHARE,
    });
    let receiver: FaultyReceiver;
    let run: SimulationResult;
    let audit: DeliveryAudit;
    let summary: ChaosSummary;

    beforeAll(async () => {
      // Arrange
      receiver = await startFaultyReceiver({
        seed: `${SEED}/${ordering}`,
        mix: MIX,
        slowMs: [20, 150],
        lateMs: ATTEMPT_TIMEOUT_MS + 200,
        retryAfterSeconds: 1,
      });
      const env = {
        FORWARD_URL: receiver.url,
        FORWARD_ORDERING: ordering,
        FORWARD_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
        FORWARD_DEADLINE_MARGIN_MS: String(DEADLINE_MARGIN_MS),
        FORWARD_BACKOFF_BASE_MS: '20',
        FORWARD_BACKOFF_MAX_MS: '200',
        FORWARD_LEDGER: ledger,
      };
      const started = Date.now();

      // Act (the function's own output, a line per invocation, would bury the summary)
      const output = captureOutput();
      try {
        run = await runEventSourceMapping({
          shards: stream.shards,
          newInstance: () => loadHandler(env),
          batchSize: BATCH_SIZE,
          timeoutMs: TIMEOUT_MS,
          policy: POLICY,
          maxInvocationsPerShard: 400,
          requestCount: () => receiver.requests.length,
        });
      } finally {
        output.restore();
      }

      audit = auditDeliveries(stream.records, receiver.requests, run.invocations, ordering);
      summary = summarize(
        {
          seed: SEED,
          ordering,
          ledger,
          records,
          keys: KEYS,
          shards: SHARDS,
          batchSize: BATCH_SIZE,
          timeoutMs: TIMEOUT_MS,
          deadlineMs: TIMEOUT_MS - DEADLINE_MARGIN_MS,
          elapsedMs: Date.now() - started,
        },
        run.invocations,
        receiver.faultCounts(),
        audit,
      );
      const path = await writeSummary(summary);
      console.log(`${formatSummary(summary)}\n  written to ${path}`);
    }, 150_000);

    afterAll(async () => {
      await receiver?.close();
    });

    it('injected every kind of fault, so the run proves something', () => {
      for (const count of Object.values(summary.faults)) expect(count).toBeGreaterThan(0);
      expect(summary.retriedBatches).toBeGreaterThan(0);
    });

    it('delivers every record at least once and discards none', () => {
      expect(audit.undelivered).toEqual([]);
      expect(run.discarded).toEqual([]);
    });

    it('checkpoints a record only after the receiver accepted it', () => {
      expect(audit.unconfirmed).toEqual([]);
    });

    it('sends every request of a record, retries included, with its eventID as Idempotency-Key and its body unchanged', () => {
      expect(audit.wrongKeys).toEqual([]);
      expect(audit.alteredBodies).toEqual([]);
      expect(audit.mostRequestsForOneRecord).toBeGreaterThan(1);
    });

    if (ordering !== 'none') {
      const group = ordering === 'shard' ? 'shard' : 'partition key';
      it(`never delivers a record before an earlier record of its ${group}`, () => {
        expect(audit.outOfOrder).toEqual([]);
      });
    }

    if (ordering === 'shard') {
      // One record at a time per shard: the faults of a batch add up, so the time budget is what ends invocations.
      it('runs invocations up to their deadline, so answering in time is really tested', () => {
        expect(summary.reachedDeadline).toBeGreaterThan(0);
      });
    }

    if (ledger === 'memory') {
      it(`delivers at most ${MAX_DUPLICATE_RATE * 100}% of the records twice: the ledger keeps Lambda's resends from going out`, () => {
        expect(summary.duplicateRate).toBeLessThanOrEqual(MAX_DUPLICATE_RATE);
      });
    }

    it('answers every invocation before the Lambda timeout', () => {
      expect(summary.timedOut).toBe(0);
      expect(summary.longestInvocationMs).toBeLessThan(TIMEOUT_MS);
    });
  },
);
