import type { LedgerMode, OrderingMode } from '../../src/config';
import type { RetryPolicy } from '../../src/hosts/local/mapping/event-source-mapping';
import type { VariantName } from '../variants/variant';

/** What a variant worker is asked to do; passed as JSON in its first argument. */
export interface VariantJob {
  readonly variant: VariantName;
  readonly url: string;
  /** Absolute path of the Lambda bundle the variant runs (dist/handler.js, or the peer's). */
  readonly bundlePath: string;
  /** This function's default FORWARD_CONCURRENCY, which the floor uses too. */
  readonly concurrency: number;
  /** File of event JSON texts, one per line; each is parsed at its invocation, as the Lambda runtime does. */
  readonly eventsFile: string;
  /** Leading events sent before measuring (connections opened, code warmed up). */
  readonly warmupEvents: number;
  /** Most measured events to send, after the warm-up ones. */
  readonly measuredEvents: number;
  /**
   * Measure again once the process is warm: the events up to `afterEvents` are sent unmeasured after the first
   * measured ones, then the next `events` are measured.
   */
  readonly warm?: { readonly afterEvents: number; readonly events: number };
  /**
   * Records a bundle reports as failed are sent again as Lambda's event source mapping does (from the lowest failed
   * record on, after its backoff), so every record is delivered in the end.
   */
  readonly retry?: RetryPolicy;
  /** Sample memory while the measured events are handled. */
  readonly sampleMemory: boolean;
  /** When set, a CPU profile of the measured events only is written to this file. */
  readonly profileFile: string | undefined;
}

/** One measured stretch of a run. */
export interface PhaseMeasurement {
  readonly records: number;
  readonly delivered: number;
  readonly wallMs: number;
  /** User plus system CPU time of the worker process while measuring. */
  readonly cpuUs: number;
}

/** What a variant worker measured. */
export interface VariantMeasurement extends PhaseMeasurement {
  /** Records of the warm-up, sent before measuring. */
  readonly warmupRecords: number;
  /** Records sent between the measured stretches: the batches before the warm measurement. */
  readonly unmeasuredRecords: number;
  /** The measurement after `warm.afterEvents` events, when the job asked for it. */
  readonly warm?: PhaseMeasurement;
  /** Invocations of the measured stretch (more than its events when failed records were sent again). */
  readonly invocations: number;
  /** Resident set size after warm-up, before the measured events were read. */
  readonly baselineRssBytes: number;
  /** Highest resident set size of the process (the kernel's high-water mark, as Lambda's Max Memory Used). */
  readonly peakRssBytes: number;
  readonly baselineHeapBytes: number;
  /** Highest V8 heap use seen while sampling (every millisecond the event loop allowed). */
  readonly peakHeapBytes: number;
}

/** What the receiver process saw of a run after its warm-up, besides the records themselves. */
export interface ReceiverView {
  readonly requests: number;
  /** Requests answered 503 because the receiver was serving its capacity. */
  readonly refused: number;
  /** Records accepted more than once. */
  readonly duplicates: number;
  /** X-Ray segment documents sent to the daemon stand-in. */
  readonly segments: number;
}

/** A variant run as measured in its process, with what the receiver saw of it. */
export interface VariantRun extends VariantMeasurement {
  readonly receiver: ReceiverView;
}

/** What the load probe measured: the time `require()` of a bundle took in a fresh process. */
export interface LoadMeasurement {
  readonly requireMs: number;
}

/** One case of the fault-injection scenario for the ledger worker; passed as JSON in its first argument. */
export interface LedgerJob {
  readonly bundlePath: string;
  readonly ordering: OrderingMode;
  readonly ledger: LedgerMode;
  readonly seed: string;
  /** Records in the stream: the chaos suite's count for the mode, or fewer for a quick run. */
  readonly records: number;
}

/** What one case of the fault-injection scenario came to. */
export interface LedgerCase {
  readonly ordering: OrderingMode;
  readonly ledger: LedgerMode;
  readonly records: number;
  readonly requests: number;
  /** Requests the receiver accepted (2xx), duplicates included. */
  readonly accepted: number;
  /** Accepted requests beyond the first of each record. */
  readonly duplicates: number;
  /** `duplicates` per record. */
  readonly duplicateRate: number;
  /** Records never accepted, or given up on. */
  readonly lost: number;
  /** Records first accepted before the record ahead of them in their key (or shard); none is promised with `none`. */
  readonly outOfOrder: number;
  readonly invocations: number;
  /** Invocations after which the mapping sent (part of) the batch again. */
  readonly retriedBatches: number;
  readonly timedOut: number;
  readonly elapsedMs: number;
}
