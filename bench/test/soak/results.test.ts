import { judgeMemory, type MemorySample } from '../../soak/memory-verdict';
import { renderSoakSection, type SoakResults } from '../../soak/results';

// One sample per 50 records of 1000: RSS 100 MB rising by 1 MB per 100 records, split evenly into anonymous and
// file-backed growth from 80 and 20 MB.
const samples: MemorySample[] = Array.from({ length: 21 }, (_, index) => {
  const delivered = index * 50;
  return {
    elapsedS: index,
    delivered,
    rssMb: 100 + delivered / 100,
    anonMb: 80 + delivered / 200,
    fileMb: 20 + delivered / 200,
  };
});

const soak = (heapMb: number, rssScale = 1): SoakResults => {
  const scaled = samples.map((s) => ({ ...s, rssMb: s.rssMb * rssScale }));
  return {
    kind: 'soak',
    date: '2026-12-01T10:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'CPU', memoryGb: 8, platform: 'linux', node: 'v24.0.0' },
    setup: 'npm start',
    config: { records: 1000, chunk: 100, backlog: 400, maxMinutes: 15, tolerance: 0.1, heapMb },
    complete: true,
    records: 1000,
    put: 1000,
    delivered: 1000,
    requests: 1003,
    duplicates: 3,
    requestsWithoutIdempotencyKey: 0,
    discarded: 0,
    durationS: 12.5,
    recordsPerSecond: 80,
    memory: judgeMemory(scaled, 1000, 0.1),
    samples: scaled,
  };
};

describe('renderSoakSection', () => {
  const section = renderSoakSection(soak(256), soak(0, 1.5));

  it('states the run: records delivered, how long it took, duplicates and discards', () => {
    expect(section).toContain(
      'heap limit 256 MB; `bench/results/soak.json`): 1,000 of 1,000 records delivered in 12.5 s (80.0 records/s), ' +
        '3 duplicates, 0 discarded.',
    );
  });

  it('shows RSS and its parts at each milestone, and how the parts changed over the second half', () => {
    const rows = section.split('\n').filter((line) => /^\| \d/.test(line));

    expect(rows.map((row) => row.split('|').map((cell) => cell.trim()))).toEqual([
      ['', '100', '101.0 MB', '80.5 MB', '20.5 MB', ''],
      ['', '250', '102.5 MB', '81.3 MB', '21.3 MB', ''],
      ['', '500', '105.0 MB', '82.5 MB', '22.5 MB', ''],
      ['', '750', '107.5 MB', '83.8 MB', '23.8 MB', ''],
      ['', '1,000', '110.0 MB', '85.0 MB', '25.0 MB', ''],
    ]);
    expect(section).toContain(
      'From 500 records to the last, the anonymous part (heap and native memory) changed by +2.5 MB and the ' +
        'file-backed part',
    );
  });

  it('gives the verdict of each run, the one without a heap limit after the other', () => {
    expect(section).toMatch(/Verdict: flat: last-quarter median 10\d\.\d MB vs second-quarter median/);
    expect(section).toContain(
      'The same run without the heap limit (`SOAK_HEAP_MB=0`, 2026-12-01T10:00:00.000Z,',
    );
    expect(section).toContain('151.5 MB at 100 records, 157.5 MB at 500 records, 165.0 MB at 1,000 records');
  });

  it('says when a run stopped before every record arrived', () => {
    const cut: SoakResults = { ...soak(256), complete: false, delivered: 640 };

    expect(renderSoakSection(cut)).toContain('640 of 1,000 records delivered in 12.5 s');
    expect(renderSoakSection(cut)).toContain('stopped after 15 min');
  });
});
