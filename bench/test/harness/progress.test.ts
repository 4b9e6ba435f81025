import { Progress } from '../../harness/progress';

const stream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
};

describe('Progress', () => {
  it('writes one line per step with the count when the stream is not a terminal (CI logs)', () => {
    const out = stream(false);
    const progress = new Progress(12, out);

    progress.step('first');
    progress.step('second');
    progress.finish();

    expect(out.writes).toHaveLength(3);
    expect(out.writes[0]).toMatch(/^\[ 1\/12\] 0:00 first\n$/);
    expect(out.writes[1]).toMatch(/^\[ 2\/12\] 0:00 second\n$/);
    expect(out.writes[2]).toMatch(/^done in 0:00\n$/);
  });

  it('rewrites a single line on a terminal and ends it when done', () => {
    const out = stream(true);
    const progress = new Progress(3, out);

    progress.step('first');
    progress.note('a warning');
    progress.finish();

    expect(out.writes[0]).toBe('\r\x1b[2K[1/3] 0:00 first');
    expect(out.writes[1]).toBe('\r\x1b[2Ka warning\n');
    expect(out.writes[2]).toBe('\r\x1b[2Kdone in 0:00\n');
  });
});
