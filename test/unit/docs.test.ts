import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readRepoFile as read } from '../helpers/cloudformation-template';

const ROOT = join(__dirname, '..', '..');

// The pages a user or a contributor reads: the README, what it links at the top level, and docs/.
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  'BENCHMARKS.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code, where markdown links and headings live. */
const prose = (markdown: string): string =>
  markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives the headings of a page: lowercased, punctuation dropped, spaces to hyphens. */
const anchorsOf = (markdown: string): Set<string> => {
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = (heading ?? '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
};

interface Link {
  readonly page: string;
  readonly target: string;
}

const relativeLinks = (page: string): Link[] =>
  [...prose(read(page)).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)]
    .map(([, target]) => ({ page, target: target ?? '' }))
    .filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

/** Why a relative link does not lead anywhere, or undefined when it does. */
const brokenBecause = ({ page, target }: Link): string | undefined => {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), decodeURI(path)));
  if (file.startsWith('..') || !existsSync(join(ROOT, file))) return `${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md') || statSync(join(ROOT, file)).isDirectory()) return `${file} has no headings`;
  return anchorsOf(read(file)).has(anchor) ? undefined : `${file} has no heading #${anchor}`;
};

// `npm run X`, `npm run --silent X`, and the names npm runs without `run` (`npm test`, `npm start`).
const NPM_SCRIPT =
  /\bnpm (?:run(?:-script)?(?: +(?:--silent|-s))? +([a-z][\w:-]*)|(test|start|stop|restart)\b)/g;

const scriptsNamedIn = (page: string): string[] =>
  [...read(page).matchAll(NPM_SCRIPT)].map(([, run, shorthand]) => run ?? shorthand ?? '');

const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const INSTALL_FIRST = 'node scripts/ensure-deps.mjs';

describe('the documentation', () => {
  it('links only to files and headings that exist', () => {
    const links = DOCS.flatMap(relativeLinks);

    const broken = links.flatMap((link) => {
      const reason = brokenBecause(link);
      return reason === undefined ? [] : [`${link.page}: (${link.target}) ${reason}`];
    });

    expect(links.length).toBeGreaterThan(30);
    expect(broken).toEqual([]);
  });

  it('links every page of docs/ from the README', () => {
    const linked = new Set(relativeLinks('README.md').map(({ target }) => target.split('#')[0] ?? ''));

    const unlinked = DOCS.filter((page) => page.startsWith('docs/') && !linked.has(page));

    expect(unlinked).toEqual([]);
  });

  it('names only npm scripts that exist, each installing the dependencies first on a fresh clone', () => {
    const named = new Map<string, string>();
    for (const page of DOCS) for (const name of scriptsNamedIn(page)) named.set(name, page);

    const problems = [...named].flatMap(([name, page]) => {
      if (scripts[name] === undefined)
        return [`${page} names npm script "${name}", which package.json lacks`];
      if (scripts[`pre${name}`] !== INSTALL_FIRST)
        return [`"${name}" (${page}) has no pre${name}: ${INSTALL_FIRST}`];
      return [];
    });

    expect([...named.keys()]).toEqual(
      expect.arrayContaining(['test', 'start', 'put', 'invoke', 'lint', 'format']),
    );
    expect(problems).toEqual([]);
  });
});

describe('the checks above', () => {
  it('find a link to a missing file, a missing heading, and an npm script with no install first', () => {
    const page = 'README.md';

    expect(brokenBecause({ page, target: 'docs/missing.md' })).toBe('docs/missing.md does not exist');
    expect(brokenBecause({ page, target: 'docs/local-mode.md#no-such-heading' })).toBe(
      'docs/local-mode.md has no heading #no-such-heading',
    );
    expect(brokenBecause({ page: 'docs/delivery.md', target: '../README.md#configuration' })).toBeUndefined();
    expect(anchorsOf('# Local stream mode (`npm start`)\n## A\n## A\n```sh\n# not a heading\n```\n')).toEqual(
      new Set(['local-stream-mode-npm-start', 'a', 'a-1']),
    );
    expect(
      [
        ...'Run `npm run --silent invoke`, npm test, npm ci and npm run bench:source-maps.'.matchAll(
          NPM_SCRIPT,
        ),
      ].map(([, run, shorthand]) => run ?? shorthand),
    ).toEqual(['invoke', 'test', 'bench:source-maps']);
  });
});
