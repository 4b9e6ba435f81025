import { evaluateTargets } from '../../report/targets';

const comparison = (timeVsFloor: number, speedupVsOneAtATime: number, cpuVsFloor: number) => ({
  latencyMs: 5,
  timeVsFloor,
  speedupVsOneAtATime,
  cpuVsFloor,
});

describe('evaluateTargets', () => {
  it('passes every target that is met, limits included', () => {
    const results = evaluateTargets({
      comparisons: [comparison(1.2, 8, 1.5)],
      bundleBytes: 500_000,
      loadOverEmptyMs: 120,
    });

    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['time-vs-floor', 'PASS'],
      ['speedup-vs-one-at-a-time', 'PASS'],
      ['cpu-vs-floor', 'PASS'],
      ['bundle-size', 'PASS'],
      ['load-time', 'PASS'],
    ]);
  });

  it('reports each miss with how far off it is', () => {
    const results = evaluateTargets({
      comparisons: [comparison(1.5, 6, 3)],
      bundleBytes: 600_000,
      loadOverEmptyMs: 150,
    });

    const missed = Object.fromEntries(results.map((r) => [r.id, r.missedBy]));
    expect(results.every((r) => r.status === 'MISS')).toBe(true);
    expect(missed['time-vs-floor']).toBe('0.30x over the limit (25% more than allowed)');
    expect(missed['speedup-vs-one-at-a-time']).toBe('2.00x short (25% below the target)');
    expect(missed['cpu-vs-floor']).toBe('1.50x over the limit (100% more than allowed)');
    expect(missed['bundle-size']).toBe('100 KB over the limit (20% more than allowed)');
    expect(missed['load-time']).toBe('30.00 ms over the limit (25% more than allowed)');
  });

  it('marks the latency targets as not measured when no run was at 5 ms', () => {
    const results = evaluateTargets({
      comparisons: [{ ...comparison(1, 10, 1), latencyMs: 20 }],
      bundleBytes: 1,
      loadOverEmptyMs: 1,
    });

    expect(results.filter((r) => r.status === 'NOT MEASURED').map((r) => r.id)).toEqual([
      'time-vs-floor',
      'speedup-vs-one-at-a-time',
      'cpu-vs-floor',
    ]);
  });
});
