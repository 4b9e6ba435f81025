import { summarizeLoad, summarizeLoadControl, summarizeThroughput } from '../../report/results';
import type { VariantName } from '../../variants/variant';
import { measurement } from '../helpers/bench-results';

describe('summarizeThroughput', () => {
  const run = (
    latencyMs: number,
    variant: VariantName,
    wallMs: number,
    cpuUs: number,
    warm?: readonly [wallMs: number, cpuUs: number],
  ) => ({
    latencyMs,
    variant,
    measurement: {
      ...measurement(1000, wallMs, cpuUs),
      ...(warm ? { warm: { records: 500, delivered: 500, wallMs: warm[0], cpuUs: warm[1] } } : {}),
    },
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

  it('summarizes the warm measurement apart, and compares it and the peer when they ran', () => {
    const { cells, comparisons } = summarizeThroughput([
      run(5, 'floor', 800, 300_000, [400, 50_000]),
      run(5, 'this-function', 1000, 600_000, [500, 100_000]),
      run(5, 'one-at-a-time', 10_000, 700_000),
      run(5, 'peer', 500, 900_000, [250, 200_000]),
    ]);

    expect(cells.find((c) => c.variant === 'this-function')?.warm).toEqual({
      recordsPerRun: 500,
      runs: [{ wallMs: 500, cpuUs: 100_000 }],
      recordsPerSecond: { median: 1000, min: 1000, max: 1000, runs: 1 },
      cpuUsPerRecord: { median: 200, min: 200, max: 200, runs: 1 },
    });
    expect(cells.find((c) => c.variant === 'one-at-a-time')?.warm).toBeUndefined();
    expect(comparisons).toEqual([
      {
        latencyMs: 5,
        timeVsFloor: 1.25,
        speedupVsOneAtATime: 10,
        cpuVsFloor: 2,
        warmCpuVsFloor: 2,
        timeVsPeer: 2,
        cpuVsPeer: 600 / 900,
        warmCpuVsPeer: 0.5,
      },
    ]);
  });

  it('gives the X-Ray segments per record sent after the warm-up, for runs that sent some', () => {
    const traced = run(5, 'traced-sampled', 1000, 600_000, [500, 100_000]);
    const { cells } = summarizeThroughput([
      {
        ...traced,
        measurement: {
          ...traced.measurement,
          unmeasuredRecords: 500,
          receiver: { requests: 2000, refused: 0, duplicates: 0, segments: 2100 },
        },
      },
      run(5, 'this-function', 1000, 600_000),
    ]);

    // 1000 measured, 500 between, 500 measured warm.
    expect(cells.find((c) => c.variant === 'traced-sampled')?.segmentsPerRecord?.median).toBe(1.05);
    expect(cells.find((c) => c.variant === 'this-function')?.segmentsPerRecord).toBeUndefined();
  });

  it('compares only latencies where all three variants ran', () => {
    const { comparisons } = summarizeThroughput([run(0, 'floor', 100, 1), run(0, 'this-function', 100, 1)]);

    expect(comparisons).toEqual([]);
  });
});

describe('summarizeLoad', () => {
  it('is the median load of the function minus the median load of the empty handler', () => {
    expect(summarizeLoad({ load: { emptyMs: [2, 1, 3], functionMs: [90, 130, 101] } }).overEmptyMs).toBe(99);
  });

  it('gives the loads with the deployed settings apart, the peer over the same empty handler', () => {
    const load = summarizeLoad({
      load: { emptyMs: [1], functionMs: [50] },
      deployedLoad: { emptyMs: [4, 2, 3], functionMs: [70, 80, 90], peerMs: [40, 45, 50] },
    });

    expect(load.overEmptyMs).toBe(49);
    expect(load.deployed).toMatchObject({ overEmptyMs: 77, peerOverEmptyMs: 42 });
  });
});

describe('summarizeLoadControl', () => {
  const entry = (mode: 'adaptive' | 'static', concurrency: number, wallMs: number, refused: number) => ({
    receiver: 'capacity' as const,
    mode,
    concurrency,
    run: {
      records: 1000,
      wallMs,
      cpuUs: 400_000,
      invocations: 12,
      receiver: { requests: 1000 + refused, refused, duplicates: 0, segments: 0 },
    },
  });

  it('takes medians per setup, in the order first run, refused requests over accepted ones', () => {
    const cells = summarizeLoadControl([
      entry('static', 8, 4000, 0),
      entry('adaptive', 64, 5000, 50),
      entry('static', 8, 2000, 0),
      entry('adaptive', 64, 4000, 30),
      entry('adaptive', 64, 6000, 100),
    ]);

    expect(cells.map((c) => [c.mode, c.concurrency, c.runs.length])).toEqual([
      ['static', 8, 2],
      ['adaptive', 64, 3],
    ]);
    expect(cells[1]?.recordsPerSecond.median).toBe(200);
    expect(cells[1]?.refusedShare).toEqual({ median: 0.05, min: 0.03, max: 0.1, runs: 3 });
    expect(cells[1]?.cpuUsPerRecord.median).toBe(400);
  });
});
