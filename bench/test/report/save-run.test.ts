import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { committedFiles, localFiles, REPO_ROOT } from '../../paths';
import { linksFrom, readCommittedResults } from '../../report/generated-docs';
import { sectionMarkers, textBetweenMarkers } from '../../report/markers';
import { renderMemorySection, renderReadmeSection } from '../../report/readme';
import { saveBenchRun, saveSoakRun, saveSourceMapRun } from '../../report/save-run';
import type { SoakResults } from '../../soak/results';
import type { SourceMapResults } from '../../source-maps/results';
import { missingTargets } from '../helpers/bench-results';
import { copyDocs, snapshot } from '../helpers/docs-copy';

// A run unlike the committed one, so whatever it changes shows.
const bench = missingTargets();

describe('saving a run', () => {
  let root: string;
  let before: Map<string, string>;
  let committed: ReturnType<typeof readCommittedResults>;
  beforeEach(() => {
    root = copyDocs();
    before = snapshot(root);
    committed = readCommittedResults(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const written = (paths: readonly string[]) => paths.map((path) => relative(root, path));
  const doc = (path: string) => readFileSync(join(root, path), 'utf8');

  it('by default writes .local/bench only: the docs, BENCHMARKS.md and bench/results stay as they were', () => {
    const sourceMaps: SourceMapResults = { ...committed.sourceMaps, measuredAt: '2026-12-24T00:00:00.000Z' };
    const soak: SoakResults = { ...committed.soak, date: '2026-12-24T00:00:00.000Z' };

    const paths = [
      ...saveBenchRun(root, bench, false),
      ...saveSourceMapRun(root, sourceMaps, false),
      ...saveSoakRun(root, soak, false, join(root, '.local', 'bench', 'soak.json')),
    ];

    expect(written(paths)).toEqual([
      '.local/bench/results.json',
      '.local/bench/chart.svg',
      '.local/bench/BENCHMARKS.md',
      '.local/bench/source-maps.json',
      '.local/bench/soak.json',
    ]);
    expect(snapshot(root, ['.local'])).toEqual(before);
    expect(JSON.parse(readFileSync(join(root, '.local', 'bench', 'results.json'), 'utf8'))).toEqual(bench);
    expect(readFileSync(join(root, '.local', 'bench', 'BENCHMARKS.md'), 'utf8')).toContain('](chart.svg)');
  });

  it('with --write keeps the bench results and regenerates BENCHMARKS.md and the docs from them', () => {
    const paths = saveBenchRun(root, bench, true);

    expect(written(paths)).toEqual([
      'bench/results/results.json',
      'bench/results/chart.svg',
      'BENCHMARKS.md',
      'docs/benchmarks.md',
      'README.md',
    ]);
    expect(JSON.parse(readFileSync(committedFiles(root).bench, 'utf8'))).toEqual(bench);
    const benchDoc = join(root, 'docs', 'benchmarks.md');
    expect(textBetweenMarkers(doc('docs/benchmarks.md'), sectionMarkers('bench'))).toBe(
      linksFrom(benchDoc, root, renderReadmeSection(bench)),
    );
    expect(textBetweenMarkers(doc('README.md'), sectionMarkers('bench-memory'))).toBe(
      renderMemorySection(bench),
    );
    expect(readFileSync(join(root, 'BENCHMARKS.md'), 'utf8')).toContain('](bench/results/chart.svg)');
  });

  it('with --write keeps a soak run without a heap limit apart from the one with it', () => {
    const unlimited: SoakResults = {
      ...committed.soakNoHeapLimit,
      date: '2026-12-24T00:00:00.000Z',
      config: { ...committed.soakNoHeapLimit.config, heapMb: 0 },
    };

    const paths = saveSoakRun(root, unlimited, true, join(root, '.local', 'bench', 'soak.json'));

    expect(written(paths)).toEqual(['bench/results/soak-no-heap-limit.json', 'docs/soak.md']);
    expect(readFileSync(committedFiles(root).soak, 'utf8')).toBe(before.get('bench/results/soak.json'));
    expect(textBetweenMarkers(doc('docs/soak.md'), sectionMarkers('soak'))).toContain(
      '(`SOAK_HEAP_MB=0`, 2026-12-24T00:00:00.000Z,',
    );
  });

  it('with --write keeps a source map measurement and regenerates its table', () => {
    const sourceMaps: SourceMapResults = { ...committed.sourceMaps, measuredAt: '2026-12-24T00:00:00.000Z' };

    const paths = saveSourceMapRun(root, sourceMaps, true);

    expect(written(paths)).toEqual(['bench/results/source-maps.json', 'docs/building.md']);
    expect(textBetweenMarkers(doc('docs/building.md'), sectionMarkers('source-maps'))).toContain(
      'Measured with `npm run bench:source-maps` (2026-12-24T00:00:00.000Z;',
    );
  });
});

describe('the place a run writes to without --write', () => {
  it('is ignored by git, so the run leaves the working tree clean', () => {
    const paths = Object.values(localFiles(REPO_ROOT)).map((path) => relative(REPO_ROOT, path));

    const ignored = execFileSync('git', ['check-ignore', ...paths], { cwd: REPO_ROOT, encoding: 'utf8' });

    expect(ignored.trim().split('\n')).toEqual(paths);
  });
});
