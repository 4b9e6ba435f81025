import type { KinesisStreamEvent } from 'aws-lambda';

/** Every variant the benchmark measures. */
export const VARIANT_NAMES = [
  'this-function',
  'one-at-a-time',
  'floor',
  'peer',
  'traced-sampled',
  'traced-unsampled',
  'traced-handler-only',
  'batched',
] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** The forwarders compared at every receiver latency. */
export const COMPARED_VARIANTS = [
  'this-function',
  'one-at-a-time',
  'floor',
  'peer',
] as const satisfies readonly VariantName[];

/** This function with settings other than its defaults, measured at the targets' latency beside it. */
export const SETTING_VARIANTS = [
  'traced-sampled',
  'traced-unsampled',
  'traced-handler-only',
  'batched',
] as const satisfies readonly VariantName[];

export const VARIANT_LABELS: Record<VariantName, string> = {
  'this-function': 'this function',
  'one-at-a-time': 'one at a time (original algorithm)',
  floor: 'floor (bare keep-alive client)',
  peer: 'peer (Powertools batch + axios)',
  'traced-sampled': 'this function, tracing on, sampled',
  'traced-unsampled': 'this function, tracing on, not sampled',
  'traced-handler-only': 'this function, tracing on, sampled, requests not traced',
  batched: 'this function, batch mode (100 records a request)',
};

/** How a variant is run. */
export interface VariantSetup {
  /** What runs: a Lambda bundle (the function's or the peer's), or a client written for the benchmark. */
  readonly code: 'function' | 'peer' | 'floor' | 'one-at-a-time';
  /** The function's settings beyond FORWARD_URL. */
  readonly env: Readonly<Record<string, string>>;
  /** Tracing on as deployed, each invocation's trace sampled or not. */
  readonly tracing?: 'sampled' | 'unsampled';
  /** It keeps the records of a partition key in order, so the receiver checks that they arrive in order. */
  readonly ordered: boolean;
  /** Also measured warm, after 20 batches (one at a time is bound by round trips from the first record on). */
  readonly warm: boolean;
}

export const VARIANT_SETUPS: Record<VariantName, VariantSetup> = {
  'this-function': { code: 'function', env: {}, ordered: true, warm: true },
  'one-at-a-time': { code: 'one-at-a-time', env: {}, ordered: true, warm: false },
  floor: { code: 'floor', env: {}, ordered: true, warm: true },
  peer: { code: 'peer', env: {}, ordered: false, warm: true },
  'traced-sampled': { code: 'function', env: {}, tracing: 'sampled', ordered: true, warm: true },
  'traced-unsampled': { code: 'function', env: {}, tracing: 'unsampled', ordered: true, warm: true },
  // Powertools' own switch: the handler and the AWS SDK calls traced, no subsegment per request to the receiver.
  'traced-handler-only': {
    code: 'function',
    env: { POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false' },
    tracing: 'sampled',
    ordered: true,
    warm: true,
  },
  batched: { code: 'function', env: { FORWARD_BATCH_MAX_RECORDS: '100' }, ordered: true, warm: true },
};

/** A forwarder under test: handles one invocation's event and says how many records it delivered. */
export interface Variant {
  invoke(event: KinesisStreamEvent): Promise<number>;
}
