import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import { packageOf, type Share, shares } from './package-of';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the attribution reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export const NODE_CORE = 'Node.js core (http, net, streams, timers)';
export const V8_NATIVE = 'V8 and native code (compiling, GC, built-ins)';
export const HARNESS = 'benchmark code (driver; the floor and one-at-a-time clients)';
/** Bundle code the source map does not resolve: mostly the top level, where esbuild hoists ES modules' code. */
export const BUNDLE_TOP_LEVEL = 'top level of the bundle (hoisted ES module code, unmapped)';

// Groups that are not a package or the project's code: in caller mode, time there goes to the caller's package.
const GENERIC = new Set([NODE_CORE, V8_NATIVE, HARNESS]);

/**
 * How samples are attributed: `self` to the function running when sampled; `caller` to the nearest package or
 * project file on the stack, so Node.js core work (loading built-ins, say) counts to the package that asked for it.
 */
export type Attribution = 'self' | 'caller';

type SourceMapLookup = (url: string) => SourceMap | undefined;

/** Source maps of bundles by their file URL, read once; undefined for files without a `.map` next to them. */
export const sourceMapsNextToFiles = (): SourceMapLookup => {
  const cache = new Map<string, SourceMap | undefined>();
  return (url) => {
    if (!cache.has(url)) {
      let map: SourceMap | undefined;
      try {
        const payload = JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as SourceMapPayload;
        map = new SourceMap(payload);
      } catch {
        // No map: the frames of this file are grouped by their file instead of by package.
        map = undefined;
      }
      cache.set(url, map);
    }
    return cache.get(url);
  };
};

const groupOf = (
  frame: CpuProfile['nodes'][number]['callFrame'],
  maps: SourceMapLookup,
): string | undefined => {
  const { functionName, url } = frame;
  if (functionName === '(idle)' || functionName === '(root)') return undefined;
  if (url === '' || functionName === '(program)' || functionName === '(garbage collector)') return V8_NATIVE;
  if (url.startsWith('node:')) return NODE_CORE;
  if (!url.startsWith('file:')) return url;
  const map = maps(url);
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    return 'originalSource' in entry ? packageOf(entry.originalSource) : BUNDLE_TOP_LEVEL;
  }
  return url.endsWith('.mjs') ? HARNESS : packageOf(fileURLToPath(url));
};

/**
 * Attributes the CPU time of a profile (idle time excluded) to where it was spent: npm packages and this project's
 * code (through the bundle's source map), Node.js core, V8 and native code, and the benchmark's own code.
 */
export const attributeProfile = (
  profile: CpuProfile,
  maps: SourceMapLookup,
  attribution: Attribution = 'self',
): Share[] => {
  const groupById = new Map(profile.nodes.map((node) => [node.id, groupOf(node.callFrame, maps)]));
  const parentById = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentById.set(child, node.id);
  const callerGroup = (id: number): string | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parentById.get(at)) {
      const group = groupById.get(at);
      if (group !== undefined && !GENERIC.has(group)) return group;
    }
    return groupById.get(id);
  };
  const entries: Array<readonly [string, number]> = [];
  // A sample stands for the time until the next one (µs).
  for (const [index, id] of profile.samples.entries()) {
    if (groupById.get(id) === undefined) continue;
    const group = attribution === 'self' ? groupById.get(id) : callerGroup(id);
    const micros = profile.timeDeltas[index + 1] ?? 0;
    if (group !== undefined && micros > 0) entries.push([group, micros]);
  }
  return shares(entries);
};
