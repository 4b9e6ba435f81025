import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = require.resolve('tsx/cli');

/** A minimal environment plus `env`: nothing of the test process's own settings leaks into the child. */
export const childEnv = (env: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...env,
});

// The entry an npm script runs with tsx, read from package.json so the two cannot drift apart.
const entryOf = (name: string): string => {
  const { scripts } = require(join(ROOT, 'package.json')) as { scripts: Record<string, string> };
  const entry = /^tsx (\S+)$/.exec(scripts[name] ?? '')?.[1];
  if (entry === undefined) throw new Error(`npm script "${name}" does not run a file with tsx`);
  return entry;
};

/**
 * A host's npm script (`start`, `put`, `invoke`) started the way npm starts it, with tsx on this Node. It leads a
 * process group of its own: tsx runs the script in a child process, which {@link killGroup} ends too.
 */
export const spawnScript = (
  name: string,
  args: readonly string[],
  env: Record<string, string>,
): ChildProcess =>
  spawn(process.execPath, [TSX, entryOf(name), ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });

/**
 * Sends `signal` to a script's whole process group: killing tsx alone would leave the script running, holding its
 * output open, so the test would wait for it forever.
 */
export const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has ended already.
  }
};

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script to its end (killed after `timeoutMs`), feeding `stdin` when given. */
export const runScript = (
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
  timeoutMs = 30_000,
): Promise<Finished> => {
  const child = spawnScript(name, args, env);
  return watch(child, timeoutMs, stdin);
};

/** Collects a child's output until it exits; SIGKILLs its process group after `timeoutMs`. */
export const watch = (child: ChildProcess, timeoutMs: number, stdin?: string): Promise<Finished> =>
  new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });

/** A running script whose output can be awaited line by line. */
export interface RunningScript {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output so far or to come; fails after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<Finished>;
}

/**
 * Starts a long-running script (`npm start`) and watches its output; its process group is SIGKILLed after `limitMs`
 * at the latest.
 */
export const startScript = (name: string, env: Record<string, string>, limitMs = 60_000): RunningScript => {
  const child = spawnScript(name, [], env);
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    all += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    all += chunk.toString('utf8');
  });
  const exited = watch(child, limitMs);
  return {
    child,
    exited,
    output: () => all,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = all.match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} in the output of ${name}:\n${all}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
};
