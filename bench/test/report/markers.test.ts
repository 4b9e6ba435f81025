import { replaceBetweenMarkers, sectionMarkers, textBetweenMarkers } from '../../report/markers';

describe('the markers of a generated section', () => {
  const markers = sectionMarkers('bench');
  const readme = `# Title\n\n## Benchmarks\n\nIntro.\n\n${markers.begin}\nold table\n${markers.end}\n\n## Next\n`;

  it('say how to regenerate the section instead of editing it', () => {
    expect(markers.begin).toBe(
      '<!-- bench:begin (generated from bench/results: npm run bench -- --render) -->',
    );
    expect(markers.end).toBe('<!-- bench:end -->');
  });

  it('let only what stands between them be replaced, and stay for the next time', () => {
    const updated = replaceBetweenMarkers(readme, '| new | table |', markers);

    expect(updated).toBe(
      `# Title\n\n## Benchmarks\n\nIntro.\n\n${markers.begin}\n| new | table |\n${markers.end}\n\n## Next\n`,
    );
    expect(textBetweenMarkers(replaceBetweenMarkers(updated, 'again', markers), markers)).toBe('again');
  });

  it('are required, in order and once, naming them when not', () => {
    expect(() => replaceBetweenMarkers('# Title\n', 'x', markers)).toThrow(markers.begin);
    expect(() => replaceBetweenMarkers(`${markers.end}\n${markers.begin}`, 'x', markers)).toThrow(
      'followed by',
    );
    expect(() => replaceBetweenMarkers(`${readme}${markers.begin}`, 'x', markers)).toThrow('stands twice');
  });

  it('of one section do not match another whose name starts the same', () => {
    const memory = sectionMarkers('bench-memory');
    const text = `${memory.begin}\nmemory\n${memory.end}\n${markers.begin}\nbench\n${markers.end}\n`;

    expect(textBetweenMarkers(replaceBetweenMarkers(text, 'new', markers), memory)).toBe('memory');
  });
});
