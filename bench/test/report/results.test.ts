import { summarizeLoad, summarizeThroughput } from '../../report/results';
import { measurement } from '../helpers/bench-results';

describe('summarizeThroughput', () => {
  const run = (
    latencyMs: number,
    variant: 'this-function' | 'one-at-a-time' | 'floor',
    wallMs: number,
    cpuUs: number,
  ) => ({
    latencyMs,
    variant,
    measurement: measurement(1000, wallMs, cpuUs),
  });

  it('takes medians per variant and latency and compares this function with the floor and one-at-a-time', () => {
    const { cells, comparisons } = summarizeThroughput([
      run(5, 'floor', 800, 300_000),
      run(5, 'this-function', 1000, 600_000),
      run(5, 'this-function', 2000, 400_000),
      run(5, 'this-function', 900, 500_000),
      run(5, 'one-at-a-time', 10_000, 700_000),
    ]);

    const fn = cells.find((c) => c.variant === 'this-function');
    expect(fn?.recordsPerSecond).toEqual({ median: 1000, min: 500, max: 1000 / 0.9, runs: 3 });
    expect(fn?.cpuUsPerRecord.median).toBe(500);
    expect(comparisons).toEqual([
      { latencyMs: 5, timeVsFloor: 1.25, speedupVsOneAtATime: 10, cpuVsFloor: 500 / 300 },
    ]);
    expect(cells.map((c) => c.variant)).toEqual(['this-function', 'one-at-a-time', 'floor']);
  });

  it('compares only latencies where all three variants ran', () => {
    const { comparisons } = summarizeThroughput([run(0, 'floor', 100, 1), run(0, 'this-function', 100, 1)]);

    expect(comparisons).toEqual([]);
  });
});

describe('summarizeLoad', () => {
  it('is the median load of the function minus the median load of the empty handler', () => {
    expect(summarizeLoad({ emptyMs: [2, 1, 3], functionMs: [90, 130, 101] }).overEmptyMs).toBe(99);
  });
});
