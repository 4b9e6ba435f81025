import type { MachineInfo } from '../harness/machine';
import { markdownTable } from '../report/format';
import { type Summary, summarize } from '../report/stats';

/** One cold start, timed in steps by the cold-start probe (milliseconds). */
export interface ColdStartMeasurement {
  /** From the start of the process to the probe's first line: Node.js itself starting. */
  readonly processStartMs: number;
  /** require() of the bundle. */
  readonly loadMs: number;
  /** The first invocation, delivering one record to a receiver on 127.0.0.1. */
  readonly firstInvocationMs: number;
  /** The next invocation, failing on an event that is not Kinesis: the process's first logged stack trace. */
  readonly firstErrorMs: number;
}

/** How the function is run: Node.js flags and the source map the bundle comes with. */
export interface Setup {
  readonly label: string;
  readonly nodeFlags: readonly string[];
  /** Whether the source map embeds the sources (esbuild's default) or only maps positions. */
  readonly sourcesContent: boolean;
}

export const SETUPS = {
  off: { label: 'without `--enable-source-maps`', nodeFlags: [], sourcesContent: true },
  on: { label: '`--enable-source-maps`', nodeFlags: ['--enable-source-maps'], sourcesContent: true },
  onLeanMap: {
    label: '`--enable-source-maps`, map without the sources (`SourcesContent: false`)',
    nodeFlags: ['--enable-source-maps'],
    sourcesContent: false,
  },
} as const satisfies Record<string, Setup>;

export type SetupName = keyof typeof SETUPS;
export const SETUP_NAMES = Object.keys(SETUPS) as SetupName[];

export interface SetupSummary {
  readonly processStartMs: Summary;
  readonly loadMs: Summary;
  readonly firstInvocationMs: Summary;
  /** Node.js start, load and first invocation of each process: the first request's wait on a new instance. */
  readonly coldStartMs: Summary;
  readonly firstErrorMs: Summary;
}

/** What `npm run bench:source-maps` writes to bench/results/source-maps.json. */
export interface SourceMapResults {
  readonly measuredAt: string;
  readonly durationS: number;
  readonly machine: MachineInfo;
  /** Fresh processes per setup; the setups take turns. */
  readonly runs: number;
  readonly bundle: { readonly bytes: number; readonly mapBytes: number; readonly leanMapBytes: number };
  readonly setups: Record<SetupName, SetupSummary>;
}

/** Summarizes the cold starts of one setup. */
export const summarizeColdStarts = (runs: readonly ColdStartMeasurement[]): SetupSummary => ({
  processStartMs: summarize(runs.map((r) => r.processStartMs)),
  loadMs: summarize(runs.map((r) => r.loadMs)),
  firstInvocationMs: summarize(runs.map((r) => r.firstInvocationMs)),
  coldStartMs: summarize(runs.map((r) => r.processStartMs + r.loadMs + r.firstInvocationMs)),
  firstErrorMs: summarize(runs.map((r) => r.firstErrorMs)),
});

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
const over = (value: number, base: number) => {
  const delta = value - base;
  return `${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(1)} ms`;
};

/** The README's source map table and what it says, from the results (its generated section `source-maps`). */
export const renderSourceMapSection = (results: SourceMapResults): string => {
  const base = results.setups.off;
  const rows = SETUP_NAMES.map((name) => {
    const s = results.setups[name];
    const versus = name === 'off' ? '' : ` (${over(s.coldStartMs.median, base.coldStartMs.median)})`;
    return [
      SETUPS[name].label,
      ms(s.processStartMs.median),
      ms(s.loadMs.median),
      ms(s.firstInvocationMs.median),
      `${ms(s.coldStartMs.median)}${versus}`,
      ms(s.firstErrorMs.median),
    ];
  });
  const on = results.setups.on;
  const lean = results.setups.onLeanMap;
  const share = ((on.coldStartMs.median - base.coldStartMs.median) / on.coldStartMs.median) * 100;
  const { machine } = results;
  const busy = Math.max(machine.loadAverageAtStart, machine.loadAverageAtEnd ?? 0) > machine.cores / 2;
  return [
    `Measured with \`npm run bench:source-maps\` (${results.measuredAt}; medians of ${results.runs} fresh ` +
      `processes per setup, taking turns; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ` +
      `one-minute load average ${machine.loadAverageAtStart} at the start and ${machine.loadAverageAtEnd} at the end` +
      `${busy ? ', a busy machine: the numbers are noisy' : ''}; \`bench/results/source-maps.json\`). The bundle is ` +
      `${kib(results.bundle.bytes)}; its source map ${kib(results.bundle.mapBytes)}, or ` +
      `${kib(results.bundle.leanMapBytes)} without the sources.`,
    '',
    markdownTable(
      [
        'setup',
        'Node.js start',
        'load (`require`)',
        'first invocation',
        'cold start (all three)',
        'first error logged',
      ],
      rows,
    ),
    '',
    `\`--enable-source-maps\` made a cold start ${ms(on.coldStartMs.median)} instead of ` +
      `${ms(base.coldStartMs.median)} (${share.toFixed(0)}% of it) and the first stack trace logged ` +
      `${ms(on.firstErrorMs.median)} instead of ${ms(base.firstErrorMs.median)}; a map without ` +
      `the sources changed the cold start by ${over(lean.coldStartMs.median, on.coldStartMs.median)}.`,
  ].join('\n');
};
