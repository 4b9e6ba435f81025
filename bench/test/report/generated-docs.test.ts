import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../paths';
import {
  GENERATED_SECTIONS,
  linksFrom,
  readCommittedResults,
  renderGeneratedFiles,
  writeGeneratedFiles,
} from '../../report/generated-docs';
import { sectionMarkers, textBetweenMarkers } from '../../report/markers';
import { copyDocs } from '../helpers/docs-copy';

describe('the docs generated from the committed results', () => {
  const rendered = renderGeneratedFiles(REPO_ROOT);
  const results = readCommittedResults(REPO_ROOT);

  it.each([...rendered.keys()].map((path) => relative(REPO_ROOT, path)))(
    '%s is exactly what the committed results produce (npm run bench -- --render rewrites it)',
    (path) => {
      expect(readFileSync(join(REPO_ROOT, path), 'utf8')).toBe(rendered.get(join(REPO_ROOT, path)));
    },
  );

  it.each(GENERATED_SECTIONS.map((section) => [section.name, section] as const))(
    'the section %s says what the committed results say',
    (_name, section) => {
      const markers = sectionMarkers(section.name);
      const holder = [...rendered.keys()].find(
        (path) => path.endsWith('.md') && readFileSync(path, 'utf8').includes(markers.begin),
      );

      expect(holder).toBeDefined();
      expect(textBetweenMarkers(readFileSync(holder ?? '', 'utf8'), markers)).toBe(
        linksFrom(holder ?? '', REPO_ROOT, section.render(results)).trim(),
      );
    },
  );
});

describe('writeGeneratedFiles', () => {
  let root: string;
  beforeEach(() => {
    root = copyDocs();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rewrites a number typed by hand into a generated section, and nothing else', () => {
    const soakDoc = join(root, 'docs', 'soak.md');
    const text = readFileSync(soakDoc, 'utf8');
    const section = textBetweenMarkers(text, sectionMarkers('soak'));
    writeFileSync(soakDoc, text.replace(section, section.replace(/\d+ s\b/, '95 s')));

    const written = writeGeneratedFiles(root);

    expect(written.map((path) => relative(root, path))).toEqual(['docs/soak.md']);
    expect(readFileSync(soakDoc, 'utf8')).toBe(text);
  });

  it('finds a section moved into another Markdown file under docs/', () => {
    const soakDoc = join(root, 'docs', 'soak.md');
    const text = readFileSync(soakDoc, 'utf8');
    const soak = sectionMarkers('soak');
    const moved = `${soak.begin}\n${textBetweenMarkers(text, soak)}\n${soak.end}`;
    writeFileSync(soakDoc, text.replace(moved, ''));
    mkdirSync(join(root, 'docs', 'operations'), { recursive: true });
    writeFileSync(
      join(root, 'docs', 'operations', 'soak.md'),
      `# Soak\n\n${soak.begin}\nstale\n${soak.end}\n`,
    );

    writeGeneratedFiles(root);

    expect(readFileSync(join(root, 'docs', 'operations', 'soak.md'), 'utf8')).toBe(`# Soak\n\n${moved}\n`);
  });

  it('refuses docs that lost the markers of a section, naming it, before writing anything', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    writeFileSync(join(root, 'README.md'), readme.replace(sectionMarkers('bench-memory').begin, ''));
    writeFileSync(join(root, 'BENCHMARKS.md'), 'edited by hand');

    expect(() => writeGeneratedFiles(root)).toThrow(
      'the generated section "bench-memory" must stand in exactly one',
    );
    expect(readFileSync(join(root, 'BENCHMARKS.md'), 'utf8')).toBe('edited by hand');
  });
});
