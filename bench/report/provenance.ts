import type { BenchResults } from './results';

/** The machine a bench run measured on, and how busy it was. */
export const machineLine = (results: BenchResults): string => {
  const { machine } = results;
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ` +
    `one-minute load average ${machine.loadAverageAtStart} when the run started` +
    (machine.loadAverageAtEnd === undefined ? '' : `, ${machine.loadAverageAtEnd} when it ended`)
  );
};

/** When a bench run was, how many runs its medians are of and how long it took. */
export const runLine = (results: BenchResults): string =>
  `${results.date} · medians of ${results.options.runs} runs · ${results.durationSeconds} s` +
  (results.options.quick ? ' · --quick' : '');
