import type { KinesisStreamEvent } from 'aws-lambda';

/** The variants the benchmark compares. */
export const VARIANT_NAMES = ['this-function', 'one-at-a-time', 'floor'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export const VARIANT_LABELS: Record<VariantName, string> = {
  'this-function': 'this function',
  'one-at-a-time': 'one at a time (original algorithm)',
  floor: 'floor (bare keep-alive client)',
};

/** A forwarder under test: handles one invocation's event and says how many records it delivered. */
export interface Variant {
  invoke(event: KinesisStreamEvent): Promise<number>;
}
