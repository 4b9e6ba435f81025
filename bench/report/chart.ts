import { VARIANT_LABELS, VARIANT_NAMES, type VariantName } from '../variants/variant';
import { formatNumber } from './format';
import type { BenchResults } from './results';

const WIDTH = 820;
const PANEL_HEIGHT = 250;
const COLORS: Record<VariantName, string> = {
  'this-function': '#1f77b4',
  'one-at-a-time': '#d62728',
  floor: '#7f7f7f',
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

interface Group {
  readonly label: string;
  readonly values: ReadonlyArray<{ readonly variant: VariantName; readonly value: number }>;
}

const text = (x: number, y: number, content: string, attributes = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;

// One bar chart: a bar per variant in each group, its value written above it.
const panel = (top: number, title: string, groups: readonly Group[]): string => {
  const left = 70;
  const right = WIDTH - 20;
  const plotTop = top + 40;
  const plotBottom = top + PANEL_HEIGHT - 30;
  const max = niceCeiling(Math.max(...groups.flatMap((g) => g.values.map((v) => v.value))));
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
  const barWidth = Math.min(70, (groupWidth * 0.8) / VARIANT_NAMES.length);
  groups.forEach((group, index) => {
    const center = left + groupWidth * (index + 0.5);
    const start = center - (barWidth * group.values.length) / 2;
    group.values.forEach(({ variant, value }, bar) => {
      const x = start + bar * barWidth;
      const height = plotBottom - y(value);
      parts.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" ` +
          `height="${height.toFixed(1)}" fill="${COLORS[variant]}"><title>${escapeXml(
            `${VARIANT_LABELS[variant]}: ${formatNumber(value)}`,
          )}</title></rect>`,
        text(x + barWidth / 2, y(value) - 4, formatNumber(value), 'text-anchor="middle" font-size="11"'),
      );
    });
    parts.push(text(center, plotBottom + 18, group.label, 'text-anchor="middle" font-size="12"'));
  });
  return parts.join('\n');
};

const groupsOf = (
  results: BenchResults,
  metric: (cell: BenchResults['throughput'][number]) => number,
): Group[] => {
  const latencies = [...new Set(results.throughput.map((cell) => cell.latencyMs))];
  return latencies.map((latencyMs) => ({
    label: `receiver latency ${latencyMs} ms`,
    values: VARIANT_NAMES.flatMap((variant) => {
      const cell = results.throughput.find((c) => c.latencyMs === latencyMs && c.variant === variant);
      return cell ? [{ variant, value: metric(cell) }] : [];
    }),
  }));
};

/**
 * Renders the results as an SVG chart: records per second and CPU microseconds per record of every variant at
 * every receiver latency (medians), with a legend and the machine they came from.
 */
export const renderChart = (results: BenchResults): string => {
  const legendTop = 2 * PANEL_HEIGHT + 20;
  const height = legendTop + 60;
  const legend = VARIANT_NAMES.map((variant, index) => {
    const x = 70 + index * 250;
    return (
      `<rect x="${x}" y="${legendTop}" width="14" height="14" fill="${COLORS[variant]}"/>` +
      text(x + 20, legendTop + 12, VARIANT_LABELS[variant], 'font-size="12"')
    );
  });
  const { machine } = results;
  const footer = `${results.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} · medians of ${results.options.runs} runs`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    panel(
      0,
      'Records per second (higher is better)',
      groupsOf(results, (c) => c.recordsPerSecond.median),
    ),
    panel(
      PANEL_HEIGHT,
      'CPU microseconds per record (lower is better)',
      groupsOf(results, (c) => c.cpuUsPerRecord.median),
    ),
    ...legend,
    text(70, legendTop + 40, footer, 'font-size="11" fill="#555"'),
    '</svg>',
    '',
  ].join('\n');
};
