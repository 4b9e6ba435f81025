import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { committedFiles, localFiles, type ResultFiles } from '../paths';
import type { SoakResults } from '../soak/results';
import type { SourceMapResults } from '../source-maps/results';
import { renderBenchmarksMarkdown } from './benchmarks-md';
import { renderChart } from './chart';
import { writeGeneratedFiles } from './generated-docs';
import type { BenchResults } from './results';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// Writes the outputs of a run; with `write` they are committed results, so every generated section follows them.
const save = (root: string, outputs: ReadonlyArray<readonly [string, string]>, write: boolean): string[] => {
  for (const [path, text] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return [...outputs.map(([path]) => path), ...(write ? writeGeneratedFiles(root) : [])];
};

const filesFor = (root: string, write: boolean): ResultFiles =>
  write ? committedFiles(root) : localFiles(root);

/**
 * Saves a bench run under `root`: by default to `.local/bench` only (results.json, chart.svg, BENCHMARKS.md);
 * with `write` to bench/results and BENCHMARKS.md, then regenerates every generated section of the docs.
 *
 * @returns the paths written.
 */
export const saveBenchRun = (root: string, results: BenchResults, write: boolean): string[] => {
  const files = filesFor(root, write);
  return save(
    root,
    [
      [files.bench, json(results)],
      [files.chart, renderChart(results)],
      [files.benchmarks, renderBenchmarksMarkdown(results, write ? undefined : 'chart.svg')],
    ],
    write,
  );
};

/** Saves a source map measurement under `root` as {@link saveBenchRun} saves a bench run. */
export const saveSourceMapRun = (root: string, results: SourceMapResults, write: boolean): string[] =>
  save(root, [[filesFor(root, write).sourceMaps, json(results)]], write);

/**
 * Saves a soak run under `root`: by default to `localFile` only; with `write` to bench/results (soak.json, or
 * soak-no-heap-limit.json for a run without a heap limit), then regenerates every generated section of the docs.
 *
 * @returns the paths written.
 */
export const saveSoakRun = (
  root: string,
  results: SoakResults,
  write: boolean,
  localFile: string,
): string[] => {
  const files = committedFiles(root);
  const file = !write ? localFile : results.config.heapMb > 0 ? files.soak : files.soakNoHeapLimit;
  return save(root, [[file, json(results)]], write);
};
