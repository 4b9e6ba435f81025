import { renderBenchmarksMarkdown } from '../../report/benchmarks-md';
import { formatConsoleReport } from '../../report/console';
import { markdownTable } from '../../report/format';
import { renderMemorySection, renderReadmeSection } from '../../report/readme';
import { benchResults, missingTargets } from '../helpers/bench-results';

// Tables are padded to aligned columns: compare with runs of spaces collapsed.
const squeeze = (text: string) => text.replace(/ {2,}/g, ' ');

const missing = missingTargets();

const passing = benchResults({
  5: {
    'this-function': [[500, 300_000]],
    'one-at-a-time': [[6000, 600_000]],
    floor: [[480, 250_000]],
  },
});

describe('the reports', () => {
  it('show each target with PASS or MISS and how far off', () => {
    const markdown = squeeze(renderBenchmarksMarkdown(missing));

    expect(markdown).toContain(
      "| at 5 ms latency, at most 1.2x the floor's time | 1.50x | MISS: 0.30x over the limit",
    );
    expect(markdown).toContain(
      '| at 5 ms latency, at least 8x faster than one at a time | 4.00x | MISS: 4.00x short',
    );
    expect(markdown).toContain('| bundle at most 500 KB (500,000 bytes) | 464 KB | PASS |');
    expect(formatConsoleReport(missing)).toMatch(
      /CPU per record at most 1\.5x the floor's \(at 5 ms\)\s+3\.00x\s+MISS/,
    );
  });

  it('explain a miss with the run own numbers: CPU per record, how busy, where the time went', () => {
    const markdown = renderBenchmarksMarkdown(missing);

    expect(markdown).toContain("**Why at 5 ms latency, at most 1.2x the floor's time was missed.**");
    expect(markdown).toContain("This function used 1,200 µs of CPU per record against the floor's 400 µs");
    expect(markdown).toContain('its process was on the CPU 80% of the run');
    expect(markdown).toContain('axios 60% (273 ms)');
  });

  it('explain nothing when every target is met', () => {
    const markdown = renderBenchmarksMarkdown(passing);

    expect(markdown).not.toContain('**Why');
    expect(markdown).not.toContain('MISS');
  });

  it('name the machine and link the chart and BENCHMARKS.md', () => {
    const markdown = renderBenchmarksMarkdown(missing);
    const readme = squeeze(renderReadmeSection(missing));

    expect(markdown).toContain('![Records per second and CPU per record');
    expect(markdown).toContain('](bench/results/chart.svg)');
    expect(markdown).toContain('Test CPU <model> & co, 2 cores, 4 GiB, Linux, Node v24.0.0');
    expect(readme).toContain('[BENCHMARKS.md](BENCHMARKS.md)');
    expect(readme).toContain('| 5 ms | 667 | 1.50x | 4.00x | 3.00x |');
  });
});

describe('the README sections', () => {
  it('say where the function stands at the targets latency, from the same run', () => {
    const readme = renderReadmeSection(missing);

    expect(readme).toContain(
      "**Where it stands.** At 5 ms receiver latency this function took 1.50x the floor's time, was 4.00x faster " +
        "than one at a time and used 3.00x the floor's CPU per record; it meets 2 of the 5 targets.",
    );
    expect(readme).toContain('so its one thread, not the receiver, sets the pace.');
    expect(readme).toContain('Where its CPU time went (self time): axios 60% (273 ms).');
    expect(renderReadmeSection(passing)).toContain('it meets 5 of the 5 targets.');
  });

  it('say so when the run measured nothing at the targets latency', () => {
    const elsewhere = benchResults({
      0: { 'this-function': [[500, 300_000]], 'one-at-a-time': [[600, 300_000]], floor: [[480, 250_000]] },
    });

    expect(renderReadmeSection(elsewhere)).toContain(
      'This run measured no 5 ms latency, where the targets are judged.',
    );
  });

  it("give the function's peak memory with the largest batch, from the memory runs", () => {
    expect(renderMemorySection(missing)).toBe(
      'In `npm run bench` (2026-11-25), one maximum-size batch (100 records, a 6.0 MB event) took the ' +
        "function's process from 90.0 MB to a peak RSS of 120.0 MB (its high-water mark, what Lambda reports as " +
        'Max Memory Used; one run, a local run of the bundle: see [BENCHMARKS.md](BENCHMARKS.md)).',
    );
  });
});

describe('markdownTable', () => {
  it('pads every column to its widest cell, separator included', () => {
    expect(markdownTable(['a', 'long header'], [['wide cell', 'x']])).toBe(
      ['| a         | long header |', '| --------- | ----------- |', '| wide cell | x           |'].join(
        '\n',
      ),
    );
  });
});
