/**
 * Delay before retry number `retry` (1 for the first retry): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so concurrent retries spread out but never collapse to zero.
 */
export const backoffDelay = (
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
) => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
};
