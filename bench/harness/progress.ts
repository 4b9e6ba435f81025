/** The stream progress is written to: stderr, or a stand-in in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const clock = (ms: number): string => {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * Shows how far the benchmark is: one line rewritten in place on a terminal, or one line per step otherwise
 * (CI logs), each with the step count and the time elapsed.
 */
export class Progress {
  #done = 0;
  readonly #started = Date.now();

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
  ) {}

  /** Announces the step now starting. */
  step(label: string): void {
    this.#done += 1;
    const width = String(this.total).length;
    const line = `[${String(this.#done).padStart(width)}/${this.total}] ${clock(Date.now() - this.#started)} ${label}`;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}\n`);
  }

  /** Prints a line that stays (a note or a warning) without breaking the progress line. */
  note(text: string): void {
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }

  /** Ends the display. */
  finish(): void {
    const line = `done in ${clock(Date.now() - this.#started)}`;
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }
}
