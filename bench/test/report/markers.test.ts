import { BEGIN_MARKER, END_MARKER, replaceBetweenMarkers } from '../../report/markers';

describe('replaceBetweenMarkers', () => {
  const readme = `# Title\n\n## Benchmarks\n\nIntro.\n\n${BEGIN_MARKER}\nold table\n${END_MARKER}\n\n## Next\n`;

  it('replaces only what stands between the markers, keeping them for the next run', () => {
    const updated = replaceBetweenMarkers(readme, '| new | table |');

    expect(updated).toBe(
      `# Title\n\n## Benchmarks\n\nIntro.\n\n${BEGIN_MARKER}\n| new | table |\n${END_MARKER}\n\n## Next\n`,
    );
    expect(replaceBetweenMarkers(updated, 'again')).toContain(`${BEGIN_MARKER}\nagain\n${END_MARKER}`);
  });

  it('refuses a text without the markers, naming them', () => {
    expect(() => replaceBetweenMarkers('# Title\n', 'x')).toThrow(BEGIN_MARKER);
    expect(() => replaceBetweenMarkers(`${END_MARKER}\n${BEGIN_MARKER}`, 'x')).toThrow('followed by');
  });
});
