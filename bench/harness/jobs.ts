import type { VariantName } from '../variants/variant';

/** What a variant worker is asked to do; passed as JSON in its first argument. */
export interface VariantJob {
  readonly variant: VariantName;
  readonly url: string;
  /** Absolute path of dist/handler.js. */
  readonly bundlePath: string;
  /** This function's default FORWARD_CONCURRENCY, which the floor uses too. */
  readonly concurrency: number;
  /** File of event JSON texts, one per line; each is parsed at its invocation, as the Lambda runtime does. */
  readonly eventsFile: string;
  /** Leading events sent before measuring (connections opened, code warmed up). */
  readonly warmupEvents: number;
  /** Most measured events to send, after the warm-up ones. */
  readonly measuredEvents: number;
  /** Sample memory while the measured events are handled. */
  readonly sampleMemory: boolean;
  /** When set, a CPU profile of the measured events only is written to this file. */
  readonly profileFile: string | undefined;
}

/** What a variant worker measured. */
export interface VariantMeasurement {
  /** Records sent in the warm-up, before measuring. */
  readonly warmupRecords: number;
  readonly records: number;
  readonly delivered: number;
  readonly wallMs: number;
  /** User plus system CPU time of the worker process while measuring. */
  readonly cpuUs: number;
  /** Resident set size after warm-up, before the measured events were read. */
  readonly baselineRssBytes: number;
  /** Highest resident set size of the process (the kernel's high-water mark, as Lambda's Max Memory Used). */
  readonly peakRssBytes: number;
  readonly baselineHeapBytes: number;
  /** Highest V8 heap use seen while sampling (every millisecond the event loop allowed). */
  readonly peakHeapBytes: number;
}

/** What the load probe measured: the time `require()` of a bundle took in a fresh process. */
export interface LoadMeasurement {
  readonly requireMs: number;
}
