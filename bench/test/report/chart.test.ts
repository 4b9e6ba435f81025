import { assertWellFormedXml } from '../../../test/helpers/xml-well-formed';
import { escapeXml, renderChart } from '../../report/chart';
import { formatNumber } from '../../report/format';
import { benchResults } from '../helpers/bench-results';

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
