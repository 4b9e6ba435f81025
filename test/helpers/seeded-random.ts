import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) that depends only on the seed and the labels: the same question asked again (in any order,
 * from any concurrent request) gets the same answer, so a fault plan is reproducible from its seed alone.
 */
export const seededFraction = (seed: string, ...labels: ReadonlyArray<string | number>): number => {
  const digest = createHash('sha256')
    .update([seed, ...labels].join('\u0000'))
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
};

/** A whole number in [min, max], drawn like {@link seededFraction}. */
export const seededInteger = (
  min: number,
  max: number,
  seed: string,
  ...labels: ReadonlyArray<string | number>
): number => min + Math.floor(seededFraction(seed, ...labels) * (max - min + 1));
