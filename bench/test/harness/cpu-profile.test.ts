import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  attributeProfile,
  BUNDLE_TOP_LEVEL,
  type CpuProfile,
  HARNESS,
  NODE_CORE,
  sourceMapsNextToFiles,
  V8_NATIVE,
} from '../../harness/cpu-profile';
import { OWN_CODE } from '../../harness/package-of';

// A real bundle with a source map: src/entry.ts calling a function of node_modules/pkg-a.
const bundleWithSourceMap = async (dir: string) => {
  mkdirSync(join(dir, 'node_modules', 'pkg-a'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'node_modules', 'pkg-a', 'index.js'),
    'exports.slowA = function slowA(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; };\n',
  );
  writeFileSync(
    join(dir, 'src', 'entry.ts'),
    "import { slowA } from 'pkg-a';\nexport function main() { return slowA(9); }\n",
  );
  const outfile = join(dir, 'out.js');
  await build({
    entryPoints: [join(dir, 'src', 'entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'silent',
  });
  const code = readFileSync(outfile, 'utf8');
  const position = (needle: string) => {
    const lines = code.slice(0, code.indexOf(needle)).split('\n');
    return { lineNumber: lines.length - 1, columnNumber: lines.at(-1)?.length ?? 0 };
  };
  return {
    url: pathToFileURL(outfile).href,
    slowA: position('function slowA'),
    main: position('function main'),
  };
};

const frame = (functionName: string, url: string, at = { lineNumber: 0, columnNumber: 0 }) => ({
  functionName,
  url,
  ...at,
});

describe('attributeProfile', () => {
  let dir: string;
  let profile: CpuProfile;

  beforeAll(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'cpu-profile-test-'));
    const bundle = await bundleWithSourceMap(dir);
    // root > harness > main (src) > slowA (pkg-a) > writev (node core); root > GC; root > idle
    profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 7] },
        { id: 2, callFrame: frame('run', 'file:///tmp/bench/variant-worker.mjs'), children: [3] },
        { id: 3, callFrame: frame('main', bundle.url, bundle.main), children: [4] },
        { id: 4, callFrame: frame('slowA', bundle.url, bundle.slowA), children: [5] },
        { id: 5, callFrame: frame('writev', 'node:net') },
        { id: 6, callFrame: frame('(garbage collector)', '') },
        { id: 7, callFrame: frame('(idle)', '') },
      ],
      samples: [4, 4, 5, 5, 5, 6, 2, 3, 7, 7],
      timeDeltas: [0, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const asObject = (shares: ReturnType<typeof attributeProfile>) =>
    Object.fromEntries(shares.map((share) => [share.name, share.amount]));

  it('by self time: maps bundle frames to their package through the source map, idle left out', () => {
    const shares = attributeProfile(profile, sourceMapsNextToFiles(), 'self');

    expect(asObject(shares)).toEqual({
      [NODE_CORE]: 30,
      'pkg-a': 20,
      [V8_NATIVE]: 10,
      [HARNESS]: 10,
      [OWN_CODE]: 10,
    });
    expect(shares[0]).toEqual({ name: NODE_CORE, amount: 30, share: 30 / 80 });
  });

  it('by caller: counts Node.js core work to the nearest package on the stack', () => {
    const shares = attributeProfile(profile, sourceMapsNextToFiles(), 'caller');

    expect(asObject(shares)).toEqual({ 'pkg-a': 50, [V8_NATIVE]: 10, [HARNESS]: 10, [OWN_CODE]: 10 });
  });

  it('names bundle code the source map cannot resolve, and counts what it causes to it', () => {
    const url = profile.nodes[2]?.callFrame.url ?? '';
    const topLevel: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2] },
        { id: 2, callFrame: frame('', url, { lineNumber: 0, columnNumber: 0 }), children: [3] },
        { id: 3, callFrame: frame('compileForInternalLoader', 'node:internal/bootstrap/realm') },
      ],
      samples: [2, 3, 3, 3],
      timeDeltas: [0, 5, 5, 5],
    };

    expect(asObject(attributeProfile(topLevel, sourceMapsNextToFiles(), 'caller'))).toEqual({
      [BUNDLE_TOP_LEVEL]: 15,
    });
    expect(asObject(attributeProfile(topLevel, sourceMapsNextToFiles(), 'self'))).toEqual({
      [BUNDLE_TOP_LEVEL]: 5,
      [NODE_CORE]: 10,
    });
  });
});
