import type { LedgerMode, OrderingMode } from '../../src/config';
import type { StreamHandler } from '../../src/hosts/invoker';
import { type ChaosSummary, summarize } from './chaos-summary';
import { auditDeliveries, type DeliveryAudit } from './delivery-audit';
import { runEventSourceMapping, type SimulationResult, UNLIMITED_RETRIES } from './event-source-simulation';
import { type FaultMix, startFaultyReceiver } from './faulty-receiver';
import { simulatedStream } from './simulated-stream';

// The fault-injection scenario, shared by the chaos suite (test/chaos) and the benchmark's ledger rows, so both
// measure the same thing.

/** The seed the suite and the benchmark use unless told otherwise. */
export const DEFAULT_CHAOS_SEED = 'default';

/** `shard` sends one record at a time per shard, so every fault delays the whole shard: fewer records keep it quick. */
export const CHAOS_RECORDS: Readonly<Record<OrderingMode, number>> = {
  'partition-key': 3000,
  shard: 1000,
  none: 3000,
};
const KEYS = 40;
/** One hot key makes long lanes, which run into the invocation deadline. */
const HOT_KEY_SHARE = 0.15;
const SHARDS = 2;
const BATCH_SIZE = 100;
/** The function's Lambda timeout; short, so the deadline margin and the attempt timeout below bite. */
export const CHAOS_TIMEOUT_MS = 2000;
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

/** The most duplicates, as a share of the records, that a run with the ledger may deliver. */
export const MAX_DUPLICATE_RATE = 0.05;

/** The ledger modes every ordering mode runs with: the default, and without it to show what it saves. */
export const CHAOS_LEDGER_MODES = ['memory', 'off'] as const satisfies readonly LedgerMode[];

export interface ChaosCase {
  readonly ordering: OrderingMode;
  readonly ledger: LedgerMode;
  /** Fixed so a failure replays. */
  readonly seed: string;
  /** Records in the stream; {@link CHAOS_RECORDS} of the mode unless a shorter run is wanted. */
  readonly records?: number;
  /** A cold-started function with this environment; called once per shard, as Lambda runs an instance per shard. */
  readonly newInstance: (env: Readonly<Record<string, string>>) => StreamHandler;
}

/** What one case of the scenario came to. */
export interface ChaosRun {
  readonly run: SimulationResult;
  readonly audit: DeliveryAudit;
  readonly summary: ChaosSummary;
}

/**
 * Runs one case: a receiver on 127.0.0.1 injecting the scenario's faults (from the seed and the ordering mode), and
 * the function fed every record of a simulated stream through Lambda's event source mapping, then the audit of what
 * the receiver got. The receiver is closed before it returns.
 */
export const runChaosCase = async ({
  ordering,
  ledger,
  seed,
  records = CHAOS_RECORDS[ordering],
  newInstance,
}: ChaosCase): Promise<ChaosRun> => {
  const stream = simulatedStream({ records, keys: KEYS, shards: SHARDS, seed, hotKeyShare: HOT_KEY_SHARE });
  const receiver = await startFaultyReceiver({
    seed: `${seed}/${ordering}`,
    mix: MIX,
    slowMs: [20, 150],
    lateMs: ATTEMPT_TIMEOUT_MS + 200,
    retryAfterSeconds: 1,
  });
  try {
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
    const run = await runEventSourceMapping({
      shards: stream.shards,
      newInstance: () => newInstance(env),
      batchSize: BATCH_SIZE,
      timeoutMs: CHAOS_TIMEOUT_MS,
      policy: UNLIMITED_RETRIES,
      maxInvocationsPerShard: 400,
      requestCount: () => receiver.requests.length,
    });
    const audit = auditDeliveries(stream.records, receiver.requests, run.invocations, ordering);
    const summary = summarize(
      {
        seed,
        ordering,
        ledger,
        records,
        keys: KEYS,
        shards: SHARDS,
        batchSize: BATCH_SIZE,
        timeoutMs: CHAOS_TIMEOUT_MS,
        deadlineMs: CHAOS_TIMEOUT_MS - DEADLINE_MARGIN_MS,
        elapsedMs: Date.now() - started,
      },
      run.invocations,
      receiver.faultCounts(),
      audit,
    );
    return { run, audit, summary };
  } finally {
    await receiver.close();
  }
};
