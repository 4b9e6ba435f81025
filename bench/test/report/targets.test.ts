import { evaluateTargets, type TargetInputs } from '../../report/targets';
import { fullResults } from '../helpers/bench-results';

const met = fullResults();
const inputs: TargetInputs = {
  throughput: met.throughput,
  comparisons: met.comparisons,
  bundleBytes: met.bundle.bytes,
  load: met.load,
  loadControl: met.loadControl,
  ledger: met.ledger,
};

const comparison = (
  latencyMs: number,
  timeVsFloor: number,
  speedup: number,
  cpu: number,
  warmCpu: number,
) => ({
  latencyMs,
  timeVsFloor,
  speedupVsOneAtATime: speedup,
  cpuVsFloor: cpu,
  warmCpuVsFloor: warmCpu,
});

const statusById = (results: ReturnType<typeof evaluateTargets>) =>
  Object.fromEntries(results.map((r) => [r.id, r.status]));
const missedById = (results: ReturnType<typeof evaluateTargets>) =>
  Object.fromEntries(results.map((r) => [r.id, r.missedBy]));

describe('evaluateTargets', () => {
  it('passes every target that is met', () => {
    const results = evaluateTargets(inputs);

    expect(results.filter((r) => r.status !== 'PASS')).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      'time-vs-floor',
      'speedup-vs-one-at-a-time',
      'rate-vs-floor',
      'cpu-vs-floor',
      'warm-cpu-vs-floor',
      'tracing-cost',
      'bundle-size',
      'load-time',
      'adaptive-vs-static',
      'adaptive-refused',
      'adaptive-without-limit',
      'ledger-duplicates',
      'ledger-lost-or-out-of-order',
    ]);
  });

  it('passes the targets met exactly at their limits', () => {
    const results = evaluateTargets({
      ...inputs,
      comparisons: [comparison(5, 1.1, 8, 1.6, 1.8), comparison(0, 1 / 0.6, 1, 1, 1)],
      bundleBytes: 350_000,
      load: { ...met.load, deployed: met.load.deployed && { ...met.load.deployed, overEmptyMs: 60 } },
    });

    expect(statusById(results)).toMatchObject({
      'time-vs-floor': 'PASS',
      'speedup-vs-one-at-a-time': 'PASS',
      'rate-vs-floor': 'PASS',
      'cpu-vs-floor': 'PASS',
      'warm-cpu-vs-floor': 'PASS',
      'bundle-size': 'PASS',
      'load-time': 'PASS',
    });
  });

  it('reports each miss of the function with how far off it is', () => {
    const results = evaluateTargets({
      ...inputs,
      comparisons: [comparison(5, 1.65, 6, 2.4, 2.7), comparison(0, 2, 1, 1, 1)],
      bundleBytes: 420_000,
      load: { ...met.load, deployed: met.load.deployed && { ...met.load.deployed, overEmptyMs: 90 } },
    });

    expect(missedById(results)).toMatchObject({
      'time-vs-floor': '0.55x over the limit (50% more than allowed)',
      'speedup-vs-one-at-a-time': '2.00x short (25% below the target)',
      'rate-vs-floor': '10.00% short (17% below the target)',
      'cpu-vs-floor': '0.80x over the limit (50% more than allowed)',
      'warm-cpu-vs-floor': '0.90x over the limit (50% more than allowed)',
      'bundle-size': '70.00 KB over the limit (20% more than allowed)',
      'load-time': '30.00 ms over the limit (50% more than allowed)',
    });
  });

  it("judges adaptive concurrency by the load-control rows: a static K's throughput, refusals, no limit", () => {
    const { loadControl } = met;
    if (!loadControl) throw new Error('fullResults has load-control rows');
    const slow = loadControl.cells.map((cell) =>
      cell.mode === 'adaptive'
        ? {
            ...cell,
            recordsPerSecond: { ...cell.recordsPerSecond, median: cell.recordsPerSecond.median / 2 },
            refusedShare: { ...cell.refusedShare, median: 0.2 },
          }
        : cell,
    );

    const results = evaluateTargets({ ...inputs, loadControl: { ...loadControl, cells: slow } });

    expect(statusById(results)).toMatchObject({
      'adaptive-vs-static': 'MISS',
      'adaptive-refused': 'MISS',
      'adaptive-without-limit': 'MISS',
    });
    expect(results.find((r) => r.id === 'adaptive-refused')?.measured).toBeCloseTo(20);
    expect(results.find((r) => r.id === 'adaptive-vs-static')?.measured).toBeCloseTo(
      (100 * (2000 / 6 / 2)) / (2000 / 5.5),
    );
  });

  it('judges the ledger by its worst mode, and any record lost or out of order in any run', () => {
    const { ledger } = met;
    if (!ledger) throw new Error('fullResults has ledger rows');
    const worse = ledger.cases.map((c) =>
      c.ordering === 'shard' && c.ledger === 'memory' ? { ...c, duplicateRate: 0.07 } : c,
    );
    const lost = ledger.cases.map((c) => (c.ledger === 'off' ? { ...c, lost: 2, outOfOrder: 1 } : c));

    expect(statusById(evaluateTargets({ ...inputs, ledger: { ...ledger, cases: worse } }))).toMatchObject({
      'ledger-duplicates': 'MISS',
      'ledger-lost-or-out-of-order': 'PASS',
    });
    const lostResults = evaluateTargets({ ...inputs, ledger: { ...ledger, cases: lost } });
    expect(missedById(lostResults)['ledger-lost-or-out-of-order']).toBe('9.00 records over the limit');
  });

  it('marks as not measured what the run did not measure: the latencies, tracing, load control and the ledger', () => {
    const results = evaluateTargets({
      ...inputs,
      throughput: met.throughput.filter((cell) => cell.latencyMs === 20),
      comparisons: [{ ...comparison(20, 1, 10, 1, 1) }],
      load: { ...met.load, deployed: undefined },
      loadControl: undefined,
      ledger: undefined,
    });

    expect(results.filter((r) => r.status === 'NOT MEASURED').map((r) => r.id)).toEqual([
      'time-vs-floor',
      'speedup-vs-one-at-a-time',
      'rate-vs-floor',
      'cpu-vs-floor',
      'warm-cpu-vs-floor',
      'tracing-cost',
      'load-time',
      'adaptive-vs-static',
      'adaptive-refused',
      'adaptive-without-limit',
      'ledger-duplicates',
      'ledger-lost-or-out-of-order',
    ]);
  });
});
