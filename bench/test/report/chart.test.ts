import { assertWellFormedXml } from '../../../test/helpers/xml-well-formed';
import { escapeXml, renderChart } from '../../report/chart';
import { formatNumber } from '../../report/format';
import { benchResults, fullResults } from '../helpers/bench-results';

const results = benchResults({
  0: { 'this-function': [[1000, 900_000]], 'one-at-a-time': [[600, 300_000]], floor: [[400, 250_000]] },
  5: {
    'this-function': [
      [1200, 1_000_000],
      [1100, 1_100_000],
      [1300, 950_000],
    ],
    'one-at-a-time': [[6500, 600_000]],
    floor: [[800, 300_000]],
  },
});

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderChart', () => {
  it('produces a well-formed SVG document', () => {
    const svg = renderChart(results);

    expect(() => assertWellFormedXml(svg, 'svg')).not.toThrow();
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it('writes every median: records per second and CPU per record of each variant at each latency', () => {
    const labels = texts(renderChart(results));

    for (const cell of results.throughput) {
      expect(labels).toContain(formatNumber(cell.recordsPerSecond.median));
      expect(labels).toContain(formatNumber(cell.cpuUsPerRecord.median));
    }
    // This function at 5 ms: 1000 records in a median of 1200 ms.
    expect(labels).toContain('833');
    expect(labels).toEqual(expect.arrayContaining(['receiver latency 0 ms', 'receiver latency 5 ms']));
  });

  it('draws one bar per variant and latency, taller for the larger value', () => {
    const svg = renderChart(results);
    const heights = [
      ...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="#1f77b4"><title>this function: ([^<]+)</g),
    ];

    // Two panels (records/s, CPU) times two latencies.
    expect(heights).toHaveLength(4);
    const [rps0, rps5] = heights.slice(0, 2).map((m) => Number(m[1]));
    expect(rps0).toBeGreaterThan(rps5 ?? Number.POSITIVE_INFINITY);
  });

  it('shows the spread of the runs over each bar: a min-max whisker and a dot per run', () => {
    const svg = renderChart(results);
    const spreads = [...svg.matchAll(/<g class="spread">(.*?)<\/g>/g)].map((m) => m[1] ?? '');

    // Only this function at 5 ms has more than one run: three, in both panels.
    expect(spreads).toHaveLength(2);
    for (const spread of spreads) {
      expect(spread.match(/<circle /g)).toHaveLength(3);
      expect(spread.match(/<line /g)).toHaveLength(3);
    }
    // Records per second of its runs: 1000 records in 1100, 1200 and 1300 ms; the whisker spans the fastest and
    // the slowest, the median bar stands between.
    const [rate = ''] = spreads;
    const dots = [...rate.matchAll(/cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    const bar = /<rect [^>]*y="([\d.]+)" [^>]*fill="#1f77b4"><title>this function: 833 \(median of 3\)/.exec(
      svg,
    );
    expect(bar).not.toBeNull();
    expect(Math.min(...dots)).toBeLessThan(Number(bar?.[1]));
    expect(Math.max(...dots)).toBeGreaterThan(Number(bar?.[1]));
  });

  it('adds a panel of CPU per record once warm, and the peer, when the results have them', () => {
    const svg = renderChart(fullResults());
    const labels = texts(svg);

    expect(labels).toContain('CPU microseconds per record, warm: after 20 batches (lower is better)');
    expect(labels).toContain('peer (Powertools batch + axios)');
    // This function's warm CPU per record at 5 ms, median of 170, 175 and 165 µs.
    expect(svg).toContain('<title>this function: 170 (median of 3)</title>');
    expect(() => assertWellFormedXml(svg, 'svg')).not.toThrow();
    expect(texts(renderChart(results))).not.toContain(
      'CPU microseconds per record, warm: after 20 batches (lower is better)',
    );
  });

  it('escapes text taken from the machine description', () => {
    const svg = renderChart(results);

    expect(() => assertWellFormedXml(svg, 'svg')).not.toThrow();
    expect(svg).toContain('Test CPU &lt;model&gt; &amp; co');
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});

describe('assertWellFormedXml (the checker the chart test relies on)', () => {
  it.each([
    ['<svg><g></svg>', '</svg> closes <g>'],
    ['<svg><text>a & b</text></svg>', 'unescaped &'],
    ['<svg x=1></svg>', 'bad attributes'],
    ['<svg></svg><svg></svg>', 'expected one root element'],
    ['<svg><rect></svg>', 'closes <rect>'],
  ])('rejects %s', (xml, problem) => {
    expect(() => assertWellFormedXml(xml, 'svg')).toThrow(problem);
  });
});
