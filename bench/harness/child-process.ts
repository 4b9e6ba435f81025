import { type ChildProcess, fork } from 'node:child_process';

/** How a worker process is started. */
export interface WorkerOptions {
  /** The whole environment of the child (nothing is inherited unless passed). */
  readonly env?: NodeJS.ProcessEnv;
  /** Node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** The child is killed and the call fails after this long. */
  readonly timeoutMs: number;
}

/** A message from a worker: `{ type, ...payload }`. */
export interface WorkerMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

const STDERR_TAIL = 4000;

/** A running worker process, talking over IPC. */
export class Worker {
  readonly #child: ChildProcess;
  readonly #inbox: WorkerMessage[] = [];
  readonly #waiting: Array<{
    type: string;
    resolve: (m: WorkerMessage) => void;
    reject: (e: Error) => void;
  }> = [];
  #stderr = '';
  #failure: Error | undefined;
  readonly exited: Promise<number>;

  constructor(script: string, args: readonly string[], options: WorkerOptions) {
    // stdout goes to /dev/null: the function's log lines are produced (their cost counts) but not shown.
    this.#child = fork(script, [...args], {
      execArgv: [...(options.nodeFlags ?? [])],
      env: options.env ?? {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.#child.on('message', (message: WorkerMessage) => this.#deliver(message));
    this.#child.on('error', (error) => this.#fail(error));
    const timer = setTimeout(() => {
      this.#fail(new Error(`${script} did not finish within ${options.timeoutMs} ms`));
      this.#child.kill();
    }, options.timeoutMs);
    // Done once the process exited and its IPC channel and stderr closed: all it sent has been handled by then.
    const stderrClosed = new Promise<void>((resolve) => this.#child.stderr?.once('close', resolve));
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      this.#child.once('exit', (code, signal) => resolve([code, signal])),
    );
    const disconnect = new Promise<void>((resolve) => this.#child.once('disconnect', resolve));
    this.exited = Promise.all([exit, disconnect, stderrClosed]).then(([[code, signal]]) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.#fail(new Error(`${script} ${why}${this.#stderr ? `:\n${this.#stderr.trim()}` : ''}`));
      } else {
        this.#fail(new Error(`${script} exited before sending the expected message`));
      }
      return code ?? -1;
    });
  }

  #deliver(message: WorkerMessage): void {
    const index = this.#waiting.findIndex((w) => w.type === message.type);
    const waiter = index >= 0 ? this.#waiting.splice(index, 1)[0] : undefined;
    if (waiter) waiter.resolve(message);
    else this.#inbox.push(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
  }

  /** Resolves with the next message of `type` from the worker; rejects if the worker fails or exits first. */
  next(type: string): Promise<WorkerMessage> {
    const index = this.#inbox.findIndex((m) => m.type === type);
    const queued = index >= 0 ? this.#inbox.splice(index, 1)[0] : undefined;
    if (queued) return Promise.resolve(queued);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiting.push({ type, resolve, reject }));
  }

  send(message: WorkerMessage): void {
    this.#child.send(message);
  }

  /** Asks the worker to end (closing its IPC channel) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.disconnect();
    await this.exited;
  }
}

/** Runs a one-shot worker: waits for its `result` message and for it to exit cleanly. */
export const runWorker = async (
  script: string,
  args: readonly string[],
  options: WorkerOptions,
): Promise<WorkerMessage> => {
  const worker = new Worker(script, args, options);
  const result = await worker.next('result');
  const code = await worker.exited;
  if (code !== 0) throw new Error(`${script} exited with code ${code} after its result`);
  return result;
};
