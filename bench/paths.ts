import { join, resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(__dirname, '..');

/** The files a measurement writes. */
export interface ResultFiles {
  /** `npm run bench`: everything it measured. */
  readonly bench: string;
  readonly chart: string;
  /** The benchmark's report: every table, the misses explained, the method. */
  readonly benchmarks: string;
  /** `npm run bench:source-maps`. */
  readonly sourceMaps: string;
  /** `npm run soak` with its heap limit. */
  readonly soak: string;
  /** `npm run soak` with `SOAK_HEAP_MB=0`. */
  readonly soakNoHeapLimit: string;
}

/** The committed results under `root`, which every generated section of the docs is rendered from. */
export const committedFiles = (root: string): ResultFiles => ({
  bench: join(root, 'bench', 'results', 'results.json'),
  chart: join(root, 'bench', 'results', 'chart.svg'),
  benchmarks: join(root, 'BENCHMARKS.md'),
  sourceMaps: join(root, 'bench', 'results', 'source-maps.json'),
  soak: join(root, 'bench', 'results', 'soak.json'),
  soakNoHeapLimit: join(root, 'bench', 'results', 'soak-no-heap-limit.json'),
});

/** Where a run without `--write` puts its files: `.local/bench` under `root`, which git ignores. */
export const localFiles = (root: string): ResultFiles => {
  const folder = join(root, '.local', 'bench');
  return {
    bench: join(folder, 'results.json'),
    chart: join(folder, 'chart.svg'),
    benchmarks: join(folder, 'BENCHMARKS.md'),
    sourceMaps: join(folder, 'source-maps.json'),
    soak: join(folder, 'soak.json'),
    soakNoHeapLimit: join(folder, 'soak-no-heap-limit.json'),
  };
};
