import { readFileSync, writeFileSync } from 'node:fs';

export const BEGIN_MARKER = '<!-- bench:begin (written by npm run bench) -->';
export const END_MARKER = '<!-- bench:end -->';

/**
 * Replaces what stands between the benchmark markers in `text` with `content`.
 *
 * @throws {Error} when the markers are missing or out of order, saying which.
 */
export const replaceBetweenMarkers = (text: string, content: string): string => {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < 0 || end < begin) {
    throw new Error(
      `README.md must contain "${BEGIN_MARKER}" followed by "${END_MARKER}" for the bench table`,
    );
  }
  return `${text.slice(0, begin + BEGIN_MARKER.length)}\n${content.trim()}\n${text.slice(end)}`;
};

/** Rewrites the benchmark part of the README file at `path`. */
export const replaceReadmeSection = (path: string, content: string): void => {
  writeFileSync(path, replaceBetweenMarkers(readFileSync(path, 'utf8'), content));
};

/** Fails early, before anything is measured, when the README has no place for the table. */
export const checkReadmeMarkers = (path: string): void => {
  replaceBetweenMarkers(readFileSync(path, 'utf8'), '');
};
