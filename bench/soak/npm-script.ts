import { type ChildProcess, spawn } from 'node:child_process';
import type { WriteStream } from 'node:fs';

/** An npm script running as a child process, the way a user starts it from a terminal. */
export interface NpmProcess {
  readonly child: ChildProcess;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or if the script ends. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The last 64 KB of output. */
  tail(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const TAIL_BYTES = 64 * 1024;

/**
 * Runs `npm <args>` in `cwd` with `env`; output goes to `log` when given, and `stdin` is written then closed.
 */
export const runNpm = (
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string; log?: WriteStream },
): NpmProcess => {
  const child = spawn('npm', [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    options.log?.write(chunk);
    output = (output + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  child.stdin?.end(options.stdin ?? '');

  return {
    child,
    exited,
    tail: () => output,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`npm ${args.join(' ')} ended before printing ${pattern}:\n${output}`);
        }
        if (Date.now() > deadline)
          throw new Error(`npm ${args.join(' ')} printed no ${pattern} in ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
};
