import { judgeMemory, type MemorySample } from '../../soak/memory-verdict';

// One sample per 1000 records delivered, from 0 to `total`, with RSS given by `rssAt(delivered)`.
const run = (total: number, rssAt: (delivered: number) => number): MemorySample[] =>
  Array.from({ length: total / 1000 + 1 }, (_, index) => ({
    elapsedS: index,
    delivered: index * 1000,
    rssMb: rssAt(index * 1000),
  }));

describe('judgeMemory', () => {
  it('calls memory flat when it levels off after warm-up, and reports it at the milestones', () => {
    // Warm-up to 250 MB over the first 20,000 records, then a small wobble.
    const samples = run(100_000, (d) => (d < 20_000 ? 150 + d / 200 : 250 + ((d / 1000) % 3)));

    const verdict = judgeMemory(samples, 100_000, 0.1);

    expect(verdict.flat).toBe(true);
    expect(verdict.explanation).toMatch(
      /^flat: last-quarter median 25\d\.\d MB vs second-quarter median 25\d\.\d MB/,
    );
    expect(verdict.milestones.map((m) => [m.target, m.delivered])).toEqual([
      [10_000, 10_000],
      [25_000, 25_000],
      [50_000, 50_000],
      [75_000, 75_000],
      [100_000, 100_000],
    ]);
    expect(verdict.peakMb).toBe(252);
    expect(Math.abs(verdict.growthMbPer10k ?? Number.NaN)).toBeLessThan(0.5);
  });

  it('calls memory growing when it rises with the records delivered', () => {
    // A leak of 1 KB per record.
    const samples = run(100_000, (d) => 200 + d / 1000);

    const verdict = judgeMemory(samples, 100_000, 0.1);

    expect(verdict.flat).toBe(false);
    expect(verdict.explanation).toMatch(/^growing: .*\(\+\d+\.\d%; at most \+10% allowed\)$/);
    expect(verdict.growthMbPer10k).toBeCloseTo(10, 5);
  });

  it('does not judge a run with too few samples in a quarter', () => {
    const samples = [
      { elapsedS: 1, delivered: 30_000, rssMb: 100 },
      { elapsedS: 2, delivered: 80_000, rssMb: 100 },
    ];

    const verdict = judgeMemory(samples, 100_000, 0.1);

    expect(verdict.flat).toBe(false);
    expect(verdict.explanation).toBe(
      'too few samples to judge (1 in the second quarter, 1 in the last; at least 3 each)',
    );
  });
});
