/** Where the local mode writes its human-readable lines (the function's own JSON logs go to stdout as usual). */
export interface Printer {
  info(line: string): void;
  warn(line: string): void;
}

/** Information to stdout, warnings and errors to stderr. */
export const consolePrinter: Printer = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};
