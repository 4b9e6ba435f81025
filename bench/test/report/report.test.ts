import { renderBenchmarksMarkdown } from '../../report/benchmarks-md';
import { formatConsoleReport } from '../../report/console';
import { markdownTable } from '../../report/format';
import { renderMemorySection, renderReadmeSection } from '../../report/readme';
import { benchResults, fullResults, missingTargets } from '../helpers/bench-results';

// Tables are padded to aligned columns: compare with runs of spaces collapsed.
const squeeze = (text: string) => text.replace(/ {2,}/g, ' ');

const missing = missingTargets();
const full = fullResults();

describe('the reports', () => {
  it('show each target with PASS or MISS and how far off', () => {
    const markdown = squeeze(renderBenchmarksMarkdown(missing));

    expect(markdown).toContain(
      "| at 5 ms latency, at most 1.1x the floor's time | 1.50x | MISS: 0.40x over the limit",
    );
    expect(markdown).toContain(
      '| at 5 ms latency, at least 8x faster than one at a time | 4.00x | MISS: 4.00x short',
    );
    expect(markdown).toContain(
      '| bundle at most 350 KB (350,000 bytes) | 464 KB | MISS: 114 KB over the limit',
    );
    expect(markdown).toContain(
      '| cold start at most 60 ms over an empty handler with the deployed settings | - | NOT MEASURED |',
    );
    expect(formatConsoleReport(missing)).toMatch(
      /CPU per record over the standard workload at most 1\.6x the floor's \(at 5 ms\)\s+3\.00x\s+MISS/,
    );
  });

  it('explain a miss with the run own numbers: CPU per record, how busy, where the time went', () => {
    const markdown = renderBenchmarksMarkdown(missing);

    expect(markdown).toContain("**Why at 5 ms latency, at most 1.1x the floor's time was missed.**");
    expect(markdown).toContain("This function used 1,200 µs of CPU per record against the floor's 400 µs");
    expect(markdown).toContain('its process was on the CPU 80% of the run');
    expect(markdown).toContain('axios 60% (273 ms)');
  });

  it('explain nothing when every target is met', () => {
    const markdown = renderBenchmarksMarkdown(full);

    expect(markdown).not.toContain('**Why');
    expect(markdown).not.toContain('MISS');
    expect(markdown).not.toContain('NOT MEASURED');
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

  it('leave out the sections of rows that older results do not have', () => {
    const markdown = renderBenchmarksMarkdown(missing);
    const console = formatConsoleReport(missing);

    for (const title of [
      'Cold and warm',
      'Tracing on as deployed',
      'Batch mode',
      'Adaptive and static concurrency',
      'The delivery ledger under injected faults',
    ]) {
      expect(markdown).not.toContain(`## ${title}`);
      expect(console).not.toContain(title);
    }
    expect(markdown).not.toContain('**peer**');
    expect(markdown).toContain('## Throughput and CPU');
  });
});

describe('the rows beyond the three-way comparison', () => {
  const markdown = squeeze(renderBenchmarksMarkdown(full));

  it('compare this function with the floor and the peer, warm and over the standard workload', () => {
    expect(markdown).toContain(
      "| latency | this function records/s | time vs floor's | faster than one at a time | CPU vs floor's | " +
        "CPU vs floor's, warm | time vs peer's | CPU vs peer's |",
    );
    // At 5 ms: medians 1000 records/s, 375 µs and 170 µs warm; floor 1,053, 250 and 100; peer 1,429, 600 and 250.
    expect(markdown).toContain('| 5 ms | 1,000 | 1.05x | 8.00x | 1.50x | 1.70x | 1.43x | 0.63x |');
    expect(markdown).toContain('| 5 ms | this function | 375 | 170 | 1,000 | 1,087 |');
    expect(markdown).toContain('| 5 ms | peer (Powertools batch + axios) | 600 | 250 | 1,429 | 1,667 |');
    expect(markdown).toContain(
      'this function used 375 µs of CPU per record and the floor 250 µs (1.50x); in the same processes after 20 ' +
        'batches, warm, 170 µs against 100 µs (1.70x).',
    );
  });

  it('give what tracing on as deployed costs, sampled and not, with the segments sent', () => {
    expect(markdown).toContain('| tracing off | 1,000 | 1.00x | 375 | 1.00x | 170 | 1.00x | 0 |');
    expect(markdown).toContain('| on, not sampled | 909 | 1.10x | 450 | 1.20x | 220 | 1.29x | 0 |');
    expect(markdown).toContain('| on, sampled | 833 | 1.20x | 600 | 1.60x | 300 | 1.76x | 1.01 |');
    expect(markdown).toContain(
      'this function used 1.60x the CPU per record of tracing off with every trace sampled and 1.20x with none sampled',
    );
  });

  it('give batch mode against a request per record', () => {
    expect(markdown).toContain(
      '| batch mode, 100 records a request | 10,000 | 10,000-10,000 | 10.00x | 100 |',
    );
    expect(markdown).toContain(
      'it forwarded 10,000 records/s at 5 ms, 10.00x the 1,000 of a request per record.',
    );
  });

  it('give adaptive against static concurrency, with refusals, against both receivers', () => {
    expect(markdown).toContain(
      '| serves 8 at once, 503 beyond | adaptive, ceiling 64 | 333 | 333-333 | 0.92x | 2.00% | 20 (2000 records) |',
    );
    expect(markdown).toContain(
      '| serves 8 at once, 503 beyond | static 64 | 40.0 | 40.0-40.0 | 0.11x | 667% |',
    );
    expect(markdown).toContain('| no limit | adaptive, ceiling 64 | 1,500 | 1,500-1,500 | 0.95x | 0% |');
    expect(markdown).toContain(
      "adaptive concurrency with a ceiling of 64 forwarded 333 records/s, 91.7% of a static 8's 364, with 2.00% " +
        'as many requests refused as delivered',
    );
  });

  it('give the ledger duplicate rate in every ordering mode with and without it', () => {
    expect(markdown).toContain('| partition-key | memory | 1000 | 10 | 1.00% | 0 | 0 | 20 (8) |');
    expect(markdown).toContain('| none | off | 1000 | 390 | 39.0% | 0 | - (none promised) | 20 (8) |');
    expect(markdown).toContain(
      'with the ledger in memory: partition-key 1.00%, shard 0.50%, none 0.80%; without it: partition-key 40.0%, ' +
        'shard 0.60%, none 39.0%. 0 records were lost and 0 delivered out of the order promised, over all 6 runs.',
    );
  });

  it('give the cold start with the deployed settings and the peer bundle', () => {
    expect(markdown).toContain('| peer bundle size | 285.0 KB (285000 bytes) |');
    expect(markdown).toContain('| deployed settings: load time over the empty handler | 50.0 ms |');
    expect(markdown).toContain('| deployed settings: the peer over the empty handler | 38.0 ms |');
  });

  it('describe in the method only the rows the results have', () => {
    expect(markdown).toContain('- **peer**: the consumer a user would write');
    expect(markdown).toContain('- **Adaptive and static concurrency**');
    expect(markdown).toContain('- **The ledger under faults**');
    expect(renderBenchmarksMarkdown(missing)).not.toContain('- **The ledger under faults**');
  });

  it('print every new table in the console report', () => {
    const console = formatConsoleReport(full);

    for (const title of [
      'Cold (standard workload) and warm (after 20 batches)',
      'Tracing on as deployed',
      'Batch mode',
      'Adaptive and static concurrency',
      'The delivery ledger under injected faults',
    ]) {
      expect(console).toContain(title);
    }
  });
});

describe('the README sections', () => {
  it('say where the function stands at the targets latency, from the same run', () => {
    const readme = renderReadmeSection(missing);

    expect(readme).toContain(
      "**Where it stands.** At 5 ms receiver latency this function took 1.50x the floor's time, was 4.00x faster " +
        "than one at a time and used 3.00x the floor's CPU per record; it meets 0 of the 13 targets (9 not " +
        'measured by this run).',
    );
    expect(readme).toContain('so its one thread, not the receiver, sets the pace.');
    expect(readme).toContain('Where its CPU time went (self time): axios 60% (273 ms).');
    expect(renderReadmeSection(full)).toContain('it meets 13 of the 13 targets.');
  });

  it('say what the other rows found, when the results have them', () => {
    const readme = renderReadmeSection(full);

    expect(readme).toContain('in the same processes after 20 batches, warm, 170 µs against 100 µs (1.70x).');
    expect(readme).toContain('with every trace sampled and 1.20x with none sampled');
    expect(readme).toContain('10.00x the 1,000 of a request per record.');
    expect(readme).toContain("91.7% of a static 8's 364");
    expect(readme).toContain('with the ledger in memory: partition-key 1.00%');
    expect(renderReadmeSection(missing)).not.toContain('with the ledger in memory');
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
