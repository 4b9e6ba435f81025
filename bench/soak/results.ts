import { asSentence, formatNumber, markdownTable } from '../report/format';
import type { MemorySample, MemoryVerdict, Milestone } from './memory-verdict';
import type { SoakConfig } from './soak-config';

/** What `npm run soak` writes: the run, its memory verdict and every sample. */
export interface SoakResults {
  readonly kind: 'soak';
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly platform: string;
    readonly node: string;
  };
  readonly setup: string;
  readonly config: Pick<
    SoakConfig,
    'records' | 'chunk' | 'backlog' | 'maxMinutes' | 'tolerance' | 'heapMb'
  > & {
    readonly kinesisEndpoint?: string | undefined;
  };
  /** Every record arrived before the time limit. */
  readonly complete: boolean;
  readonly records: number;
  readonly put: number;
  /** Distinct records the receiver got. */
  readonly delivered: number;
  readonly requests: number;
  readonly duplicates: number;
  readonly requestsWithoutIdempotencyKey: number;
  /** Records the forwarder gave up on (written to its on-failure file). */
  readonly discarded: number;
  readonly durationS: number;
  readonly recordsPerSecond: number;
  readonly memory: MemoryVerdict;
  readonly samples: readonly MemorySample[];
}

const mb = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(1)} MB`);
const signedMb = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} MB`;

// How a part of the RSS changed from the milestone at half the records to the last one, when both tell.
const change = (
  results: SoakResults,
  part: (milestone: Milestone) => number | undefined,
): { from: Milestone; by: number } | undefined => {
  const { milestones } = results.memory;
  const from = milestones.find((m) => m.target >= results.records / 2);
  const last = milestones.at(-1);
  if (!from || !last || from === last) return undefined;
  const [start, end] = [part(from), part(last)];
  return start === undefined || end === undefined ? undefined : { from, by: end - start };
};

const heapLimit = (results: SoakResults) =>
  results.config.heapMb > 0 ? `heap limit ${results.config.heapMb} MB` : 'no heap limit';

const summaryLine = (results: SoakResults, file: string): string => {
  const { machine } = results;
  return (
    `Measured with \`npm run soak\` (${results.date}; ${machine.cpuModel}, ${machine.cpus} cores, ` +
    `${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}; ${heapLimit(results)}; \`${file}\`): ` +
    `${formatNumber(results.delivered)} of ${formatNumber(results.records)} records delivered in ` +
    `${results.durationS} s (${formatNumber(results.recordsPerSecond)} records/s), ${results.duplicates} ` +
    `duplicates, ${results.discarded} discarded${results.complete ? '' : `, stopped after ${results.config.maxMinutes} min`}.`
  );
};

const partsLine = (results: SoakResults): string => {
  const anon = change(results, (m) => m.anonMb);
  const file = change(results, (m) => m.fileMb);
  if (!anon || !file) return '';
  return (
    `From ${formatNumber(anon.from.target)} records to the last, the anonymous part (heap and native memory) ` +
    `changed by ${signedMb(anon.by)} and the file-backed part (mapped files: code, and the emulator's LevelDB ` +
    `files, which keep every record put) by ${signedMb(file.by)}.`
  );
};

/**
 * The Soak test section's generated part: the run with the heap limit (a table of RSS at the milestones and the
 * verdict) and, when given, the same run without one.
 */
export const renderSoakSection = (limited: SoakResults, unlimited?: SoakResults): string => {
  const rows = limited.memory.milestones.map((m) => [
    formatNumber(m.target),
    mb(m.rssMb),
    mb(m.anonMb),
    mb(m.fileMb),
  ]);
  const parts = [
    summaryLine(limited, 'bench/results/soak.json'),
    '',
    markdownTable(['records delivered', 'RSS', 'anonymous', 'file-backed'], rows),
    '',
    [`Verdict: ${limited.memory.explanation}.`, partsLine(limited)].filter(Boolean).join(' '),
  ];
  if (unlimited) {
    const shown = unlimited.memory.milestones.filter(
      (m, index, all) => index === 0 || index === all.length - 1 || m.target === unlimited.records / 2,
    );
    const anon = change(unlimited, (m) => m.anonMb);
    parts.push(
      '',
      `The same run without the heap limit (\`SOAK_HEAP_MB=0\`, ${unlimited.date}, ` +
        `\`bench/results/soak-no-heap-limit.json\`): ` +
        shown.map((m) => `${mb(m.rssMb)} at ${formatNumber(m.target)} records`).join(', ') +
        (anon
          ? `, the anonymous part changing by ${signedMb(anon.by)} from ${formatNumber(anon.from.target)} on`
          : '') +
        `. ${asSentence(unlimited.memory.explanation)}`,
    );
  }
  return parts.join('\n');
};
