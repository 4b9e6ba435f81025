import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { committedFiles } from '../paths';
import type { SoakResults } from '../soak/results';
import { renderSoakSection } from '../soak/results';
import { renderSourceMapSection, type SourceMapResults } from '../source-maps/results';
import { renderBenchmarksMarkdown } from './benchmarks-md';
import { renderChart } from './chart';
import { hasMarkers, replaceBetweenMarkers, sectionMarkers } from './markers';
import { renderMemorySection, renderReadmeSection } from './readme';
import type { BenchResults } from './results';

/** The committed results every generated part of the docs comes from. */
export interface CommittedResults {
  readonly bench: BenchResults;
  readonly sourceMaps: SourceMapResults;
  readonly soak: SoakResults;
  readonly soakNoHeapLimit: SoakResults;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Reads the committed results under `root`. */
export const readCommittedResults = (root: string): CommittedResults => {
  const files = committedFiles(root);
  return {
    bench: readJson(files.bench),
    sourceMaps: readJson(files.sourceMaps),
    soak: readJson(files.soak),
    soakNoHeapLimit: readJson(files.soakNoHeapLimit),
  };
};

/** A part of a Markdown file rendered from the committed results, between the markers of its name. */
export interface GeneratedSection {
  readonly name: string;
  render(results: CommittedResults): string;
}

/** Every generated section; each stands once in README.md or a Markdown file under docs/. */
export const GENERATED_SECTIONS: readonly GeneratedSection[] = [
  { name: 'bench', render: (results) => renderReadmeSection(results.bench) },
  { name: 'bench-memory', render: (results) => renderMemorySection(results.bench) },
  { name: 'source-maps', render: (results) => renderSourceMapSection(results.sourceMaps) },
  { name: 'soak', render: (results) => renderSoakSection(results.soak, results.soakNoHeapLimit) },
];

// README.md and the Markdown files under docs/, where generated sections may stand.
const markdownFiles = (root: string): string[] => {
  const docs = join(root, 'docs');
  const nested = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => join(docs, name))
    : [];
  return [join(root, 'README.md'), ...nested];
};

/**
 * Makes the links of a rendered section, written as paths in the repository, relative to `holder`, the Markdown file
 * it stands in (docs/ or the root).
 */
export const linksFrom = (holder: string, root: string, text: string): string =>
  text.replace(/\]\(([^)#:\s]+)(#[^)]*)?\)/g, (link, target: string, anchor = '') => {
    const relativeTarget = relative(dirname(holder), join(root, target)).replaceAll('\\', '/');
    return relativeTarget === target ? link : `](${relativeTarget}${anchor})`;
  });

/**
 * Every file generated from the committed results under `root`, with the text it must have: BENCHMARKS.md, the
 * chart, and each Markdown file holding generated sections, those sections rendered.
 *
 * @throws {Error} when a section's markers stand in no Markdown file, or in more than one.
 */
export const renderGeneratedFiles = (root: string): Map<string, string> => {
  const results = readCommittedResults(root);
  const files = committedFiles(root);
  const rendered = new Map([
    [files.benchmarks, renderBenchmarksMarkdown(results.bench)],
    [files.chart, renderChart(results.bench)],
  ]);
  const texts = new Map(markdownFiles(root).map((path) => [path, readFileSync(path, 'utf8')]));
  for (const section of GENERATED_SECTIONS) {
    const markers = sectionMarkers(section.name);
    const holders = [...texts].filter(([, text]) => hasMarkers(text, markers));
    const [holder] = holders;
    if (holders.length !== 1 || !holder) {
      throw new Error(
        `the generated section "${section.name}" must stand in exactly one of README.md and docs/**/*.md ` +
          `(between "${markers.begin}" and "${markers.end}"); found in ${holders.length}`,
      );
    }
    const [path, text] = holder;
    const updated = replaceBetweenMarkers(text, linksFrom(path, root, section.render(results)), markers);
    texts.set(path, updated);
    rendered.set(path, updated);
  }
  return rendered;
};

/**
 * Rewrites the generated files under `root` that differ from what the committed results produce.
 *
 * @returns the paths written.
 */
export const writeGeneratedFiles = (root: string): string[] => {
  const written: string[] = [];
  for (const [path, text] of renderGeneratedFiles(root)) {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
};
