import os from 'node:os';

/** Where the numbers came from. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** One-minute load average when the benchmark started: above 0.5 per core, something else was running. */
  readonly loadAverageAtStart: number;
  /** One-minute load average when the measuring ended (set by the caller). */
  readonly loadAverageAtEnd?: number;
}

/** Describes this machine and Node.js. */
export const describeMachine = (): MachineInfo => {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
};
