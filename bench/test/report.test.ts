import { markdownTable } from '../format';
import { formatConsoleReport, renderBenchmarksMarkdown, renderReadmeSection } from '../report';
import { benchResults } from './helpers/bench-results';

// Tables are padded to aligned columns: compare with runs of spaces collapsed.
const squeeze = (text: string) => text.replace(/ {2,}/g, ' ');

// At 5 ms: this function 1000 records in 1500 ms with 1.2 s CPU, the floor in 1000 ms with 0.4 s CPU.
const missing = benchResults({
  5: {
    'this-function': [[1500, 1_200_000]],
    'one-at-a-time': [[6000, 600_000]],
    floor: [[1000, 400_000]],
  },
});

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
    expect(readme).toContain('[BENCHMARKS.md](../BENCHMARKS.md)');
    expect(readme).toContain('| 5 ms | 667 | 1.50x | 4.00x | 3.00x |');
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
