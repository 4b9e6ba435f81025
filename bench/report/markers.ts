/** The two comments a generated part of a Markdown file stands between. */
export interface Markers {
  readonly begin: string;
  readonly end: string;
}

/**
 * The markers of the generated section `name`, e.g. `<!-- soak:begin ... -->` and `<!-- soak:end -->`. The begin
 * marker tells an editor how to regenerate the section instead of editing it.
 */
export const sectionMarkers = (name: string): Markers => ({
  begin: `<!-- ${name}:begin (generated from bench/results: npm run bench -- --render) -->`,
  end: `<!-- ${name}:end -->`,
});

/** Whether `text` holds the begin marker of `markers`. */
export const hasMarkers = (text: string, markers: Markers): boolean => text.includes(markers.begin);

/**
 * Replaces what stands between the markers in `text` with `content`, keeping the markers for the next time.
 *
 * @throws {Error} when the markers are missing, repeated or out of order, saying which.
 */
export const replaceBetweenMarkers = (text: string, content: string, markers: Markers): string => {
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end);
  if (begin < 0 || end < 0 || end < begin) {
    throw new Error(`the text must contain "${markers.begin}" followed by "${markers.end}"`);
  }
  if (text.indexOf(markers.begin, begin + 1) >= 0)
    throw new Error(`"${markers.begin}" stands twice in the text`);
  return `${text.slice(0, begin + markers.begin.length)}\n${content.trim()}\n${text.slice(end)}`;
};

/** What stands between the markers in `text`, trimmed. */
export const textBetweenMarkers = (text: string, markers: Markers): string => {
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end);
  if (begin < 0 || end < begin) throw new Error(`no "${markers.begin}" ... "${markers.end}" in the text`);
  return text.slice(begin + markers.begin.length, end).trim();
};
