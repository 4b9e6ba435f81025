import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFile } from '../../test/helpers/cloudformation-template';
import { textBetweenMarkers } from '../readme-section';
import {
  type ColdStartMeasurement,
  renderSourceMapSection,
  SOURCE_MAP_MARKERS,
  type SourceMapResults,
  summarizeColdStarts,
} from '../source-map-results';

const run = (processStartMs: number, loadMs: number, firstInvocationMs: number): ColdStartMeasurement => ({
  processStartMs,
  loadMs,
  firstInvocationMs,
  firstErrorMs: 2,
});

describe('the source map measurement', () => {
  it('takes a cold start as Node.js start, load and first invocation of one process, and medians of those', () => {
    const summary = summarizeColdStarts([run(30, 80, 20), run(40, 100, 10), run(35, 90, 30)]);

    expect(summary.coldStartMs).toEqual({ median: 150, min: 130, max: 155, runs: 3 });
    expect(summary.loadMs.median).toBe(90);
  });

  it('renders the table and what the flag added from the results', () => {
    const setup = (coldStart: number, firstError: number) =>
      summarizeColdStarts([
        { processStartMs: 30, loadMs: coldStart - 50, firstInvocationMs: 20, firstErrorMs: firstError },
      ]);
    const results: SourceMapResults = {
      measuredAt: '2026-12-01T00:00:00.000Z',
      durationS: 60,
      machine: {
        cpu: 'CPU',
        cores: 2,
        memoryGiB: 8,
        node: 'v24.0.0',
        os: 'Linux',
        loadAverageAtStart: 0.2,
        loadAverageAtEnd: 0.3,
      },
      runs: 25,
      bundle: { bytes: 500 * 1024, mapBytes: 2000 * 1024, leanMapBytes: 600 * 1024 },
      setups: { off: setup(100, 2), on: setup(125, 52), onLeanMap: setup(124, 50) },
    };

    const section = renderSourceMapSection(results);

    const row = section.split('\n').find((line) => line.startsWith('| `--enable-source-maps` '));
    expect(row?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      '`--enable-source-maps`',
      '30.0 ms',
      '75.0 ms',
      '20.0 ms',
      '125.0 ms (+25.0 ms)',
      '52.0 ms',
      '',
    ]);
    expect(section).toContain(
      '`--enable-source-maps` made a cold start 125.0 ms instead of 100.0 ms (20% of it) and the first stack trace ' +
        'logged 52.0 ms instead of 2.0 ms;',
    );
    expect(section).toContain('a map without the sources changed the cold start by −1.0 ms');
    expect(section).not.toContain('noisy');
  });

  it('is what docs/building.md shows, from the committed results', () => {
    const results = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'bench', 'results', 'source-maps.json'), 'utf8'),
    ) as SourceMapResults;

    expect(textBetweenMarkers(readRepoFile('docs/building.md'), SOURCE_MAP_MARKERS)).toBe(
      renderSourceMapSection(results),
    );
  });
});
