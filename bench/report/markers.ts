import { readFileSync, writeFileSync } from 'node:fs';

export const BEGIN_MARKER = '<!-- bench:begin (written by npm run bench) -->';
export const END_MARKER = '<!-- bench:end -->';

/** The two comments a generated part of the README stands between. */
export interface Markers {
  readonly begin: string;
  readonly end: string;
}

const BENCH_MARKERS: Markers = { begin: BEGIN_MARKER, end: END_MARKER };

/**
 * Replaces what stands between the markers (the benchmark's unless given) in `text` with `content`.
 *
 * @throws {Error} when the markers are missing or out of order, saying which.
 */
export const replaceBetweenMarkers = (text: string, content: string, markers = BENCH_MARKERS): string => {
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end);
  if (begin < 0 || end < 0 || end < begin) {
    throw new Error(
      `README.md must contain "${markers.begin}" followed by "${markers.end}" for the bench table`,
    );
  }
  return `${text.slice(0, begin + markers.begin.length)}\n${content.trim()}\n${text.slice(end)}`;
};

/** What stands between the markers in `text`, trimmed. */
export const textBetweenMarkers = (text: string, markers: Markers): string => {
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end);
  if (begin < 0 || end < begin) throw new Error(`no "${markers.begin}" ... "${markers.end}" in the text`);
  return text.slice(begin + markers.begin.length, end).trim();
};

/** Rewrites the generated part of the README file at `path` (the benchmark's unless other markers are given). */
export const replaceReadmeSection = (path: string, content: string, markers = BENCH_MARKERS): void => {
  writeFileSync(path, replaceBetweenMarkers(readFileSync(path, 'utf8'), content, markers));
};

/** Fails early, before anything is measured, when the README has no place for the table. */
export const checkReadmeMarkers = (path: string, markers = BENCH_MARKERS): void => {
  replaceBetweenMarkers(readFileSync(path, 'utf8'), '', markers);
};
