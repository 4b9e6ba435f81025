/** Number formatting shared by the console report, the Markdown and the chart. */

/** 12345.6 -> "12,346"; small values keep a decimal or two. */
export const formatNumber = (value: number): string => {
  if (value === 0) return '0';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** Microseconds as milliseconds: 12345 -> "12.3 ms". */
export const formatMicrosAsMs = (us: number): string => `${formatNumber(us / 1000)} ms`;

/** Text as a sentence: its first letter capitalized and a full stop at the end, unless it has one. */
export const asSentence = (text: string): string =>
  `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/[.!?]?$/, '.')}`;

/** A ratio as "1.23x". */
export const formatRatio = (value: number): string => `${value.toFixed(2)}x`;

/** Bytes as "12.3 MB" (10^6), "456.7 KB" (10^3) or "890 B". */
export const formatBytes = (bytes: number): string => {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
};

/** Renders rows as an aligned plain-text table. */
export const textTable = (header: readonly string[], rows: ReadonlyArray<readonly string[]>): string => {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

/** Renders rows as a Markdown table with aligned columns (as the formatter writes them). */
export const markdownTable = (header: readonly string[], rows: ReadonlyArray<readonly string[]>): string => {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};
