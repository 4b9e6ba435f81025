import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface InvokeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

const REPO = join(__dirname, '..', '..');
const FORWARDER_VARIABLES = /^(FORWARD_|LISTENER_|POWERTOOLS_|AWS_)/;

/** Runs `npm run --silent invoke -- ...args` in the repository with exactly the forwarder variables given. */
export const runInvoke = (args: readonly string[], env: Record<string, string> = {}): Promise<InvokeRun> => {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !FORWARDER_VARIABLES.test(name)),
  );
  const started = Date.now();
  const child = spawn('npm', ['run', '--silent', 'invoke', '--', ...args], {
    cwd: REPO,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - started }));
  });
};
