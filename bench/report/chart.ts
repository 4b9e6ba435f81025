import { COMPARED_VARIANTS, VARIANT_LABELS, type VariantName } from '../variants/variant';
import { formatNumber } from './format';
import type { BenchResults, PhaseCell, ThroughputCell } from './results';

const WIDTH = 820;
const PANEL_HEIGHT = 250;
const COLORS: Record<(typeof COMPARED_VARIANTS)[number], string> = {
  'this-function': '#1f77b4',
  'one-at-a-time': '#d62728',
  floor: '#7f7f7f',
  peer: '#ff7f0e',
};

/** Escapes text for SVG content and attribute values. */
export const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

// The smallest 1, 2 or 5 times a power of ten at or above `value`: a readable axis maximum.
const niceCeiling = (value: number): number => {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
};

/** One bar: the median of the runs, and every run's value for the spread. */
interface Bar {
  readonly variant: (typeof COMPARED_VARIANTS)[number];
  readonly median: number;
  readonly points: readonly number[];
}

interface Group {
  readonly label: string;
  readonly bars: readonly Bar[];
}

const text = (x: number, y: number, content: string, attributes = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;

// The spread of the runs over a bar: a min-max whisker with caps, and a dot per run.
const spread = (x: number, points: readonly number[], y: (value: number) => number): string[] => {
  if (points.length < 2) return [];
  const low = y(Math.min(...points));
  const high = y(Math.max(...points));
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#222"/>`;
  return [
    `<g class="spread">${line(x, low, x, high)}${line(x - 4, low, x + 4, low)}${line(x - 4, high, x + 4, high)}` +
      points
        .map(
          (point) =>
            `<circle cx="${x.toFixed(1)}" cy="${y(point).toFixed(1)}" r="2" fill="#222" fill-opacity="0.6"/>`,
        )
        .join('') +
      '</g>',
  ];
};

// One bar chart: a bar per variant in each group at its median, the runs' spread over it, the median above.
const panel = (top: number, title: string, groups: readonly Group[]): string => {
  const left = 70;
  const right = WIDTH - 20;
  const plotTop = top + 40;
  const plotBottom = top + PANEL_HEIGHT - 30;
  const max = niceCeiling(Math.max(...groups.flatMap((g) => g.bars.flatMap((b) => [b.median, ...b.points]))));
  const y = (value: number) => plotBottom - (value / max) * (plotBottom - plotTop);
  const parts = [text(left, top + 20, title, 'font-size="15" font-weight="bold"')];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const value = max * tick;
    parts.push(
      `<line x1="${left}" y1="${y(value).toFixed(1)}" x2="${right}" y2="${y(value).toFixed(1)}" stroke="#ddd"/>`,
      text(left - 6, y(value) + 4, formatNumber(value), 'text-anchor="end" font-size="11" fill="#555"'),
    );
  }
  const groupWidth = (right - left) / Math.max(1, groups.length);
  const barWidth = Math.min(70, (groupWidth * 0.8) / COMPARED_VARIANTS.length);
  groups.forEach((group, index) => {
    const center = left + groupWidth * (index + 0.5);
    const start = center - (barWidth * group.bars.length) / 2;
    group.bars.forEach(({ variant, median, points }, bar) => {
      const x = start + bar * barWidth;
      const height = plotBottom - y(median);
      const top = Math.min(y(median), ...points.map(y));
      parts.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${y(median).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" ` +
          `height="${height.toFixed(1)}" fill="${COLORS[variant]}"><title>${escapeXml(
            `${VARIANT_LABELS[variant]}: ${formatNumber(median)} (median of ${points.length})`,
          )}</title></rect>`,
        ...spread(x + barWidth / 2, points, y),
        text(x + barWidth / 2, top - 4, formatNumber(median), 'text-anchor="middle" font-size="11"'),
      );
    });
    parts.push(text(center, plotBottom + 18, group.label, 'text-anchor="middle" font-size="12"'));
  });
  return parts.join('\n');
};

type Metric = 'recordsPerSecond' | 'cpuUsPerRecord';

// Every run's value of a metric, from its wall and CPU time.
const pointsOf = (phase: PhaseCell, metric: Metric): number[] =>
  phase.runs.map((run) =>
    metric === 'recordsPerSecond'
      ? phase.recordsPerRun / (run.wallMs / 1000)
      : run.cpuUs / phase.recordsPerRun,
  );

const groupsOf = (
  results: BenchResults,
  metric: Metric,
  phase: (cell: ThroughputCell) => PhaseCell | undefined,
): Group[] => {
  const latencies = [...new Set(results.throughput.map((cell) => cell.latencyMs))];
  return latencies.map((latencyMs) => ({
    label: `receiver latency ${latencyMs} ms`,
    bars: COMPARED_VARIANTS.flatMap((variant) => {
      const cell = results.throughput.find((c) => c.latencyMs === latencyMs && c.variant === variant);
      const measured = cell ? phase(cell) : undefined;
      return measured
        ? [{ variant, median: measured[metric].median, points: pointsOf(measured, metric) }]
        : [];
    }),
  }));
};

/**
 * Renders the results as an SVG chart: records per second and CPU microseconds per record of every compared
 * variant at every receiver latency, and CPU per record once warm when the results have it; each bar the median,
 * with the spread of the runs over it (min-max and a dot per run), a legend and the machine they came from.
 */
export const renderChart = (results: BenchResults): string => {
  const warm = groupsOf(results, 'cpuUsPerRecord', (cell) => cell.warm);
  const panels = [
    {
      title: 'Records per second (higher is better)',
      groups: groupsOf(results, 'recordsPerSecond', (c) => c),
    },
    {
      title: `CPU microseconds per record${warm.some((g) => g.bars.length > 0) ? ', standard workload' : ''} (lower is better)`,
      groups: groupsOf(results, 'cpuUsPerRecord', (c) => c),
    },
    ...(warm.some((g) => g.bars.length > 0)
      ? [{ title: 'CPU microseconds per record, warm: after 20 batches (lower is better)', groups: warm }]
      : []),
  ];
  const legendTop = panels.length * PANEL_HEIGHT + 20;
  const height = legendTop + 80;
  const shown = COMPARED_VARIANTS.filter((variant: VariantName) =>
    results.throughput.some((cell) => cell.variant === variant),
  );
  // Two columns, as the labels are long.
  const legend = shown.map((variant, index) => {
    const x = 70 + (index % 2) * 360;
    const y = legendTop + Math.floor(index / 2) * 20;
    return (
      `<rect x="${x}" y="${y}" width="14" height="14" fill="${COLORS[variant]}"/>` +
      text(x + 20, y + 12, VARIANT_LABELS[variant], 'font-size="12"')
    );
  });
  const { machine } = results;
  const footer =
    `${results.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} · ` +
    `bars: medians of ${results.options.runs} runs; whiskers: min-max; dots: each run`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...panels.map(({ title, groups }, index) => panel(index * PANEL_HEIGHT, title, groups)),
    ...legend,
    text(70, legendTop + 60, footer, 'font-size="11" fill="#555"'),
    '</svg>',
    '',
  ].join('\n');
};
