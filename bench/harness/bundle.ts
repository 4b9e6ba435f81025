import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';
import { packageOf, type Share, shares } from './package-of';

/** The benchmark's child-process entry points, bundled to plain JavaScript so no loader runs in them. */
export interface WorkerScripts {
  readonly receiver: string;
  readonly variant: string;
  readonly loadProbe: string;
  readonly ledger: string;
}

/** Bundles the worker entries (bench/harness/workers) into `outDir` (ES modules, Node built-ins only). */
export const buildWorkers = async (outDir: string): Promise<WorkerScripts> => {
  const entries = {
    receiver: 'receiver-worker',
    variant: 'variant-worker',
    loadProbe: 'load-probe',
    ledger: 'ledger-worker',
  } as const;
  await build({
    entryPoints: Object.values(entries).map((name) => join(__dirname, 'workers', `${name}.ts`)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    logLevel: 'warning',
  });
  const path = (name: string) => join(outDir, `${name}.mjs`);
  return {
    receiver: path(entries.receiver),
    variant: path(entries.variant),
    loadProbe: path(entries.loadProbe),
    ledger: path(entries.ledger),
  };
};

/** Builds a handler that does nothing the way the function is built: the baseline of the load time. */
export const buildEmptyHandler = async (outDir: string): Promise<string> => {
  const outfile = join(outDir, 'empty-handler.js');
  const { entryPoints: _handler, ...options } = LAMBDA_BUILD;
  await build({
    ...options,
    stdin: { contents: 'export const handler = async () => ({ batchItemFailures: [] });', loader: 'ts' },
    outfile,
  });
  return outfile;
};

/**
 * Bundles the peer (bench/variants/peer/handler.ts) to `outDir`/peer/handler.js with the function's own esbuild
 * options, so the two are compared as built alike.
 *
 * @returns the bundle's path and size.
 */
export const buildPeerBundle = async (outDir: string): Promise<{ path: string; bytes: number }> => {
  const path = join(outDir, 'peer', 'handler.js');
  await build({
    ...LAMBDA_BUILD,
    entryPoints: [join(__dirname, '..', 'variants', 'peer', 'handler.ts')],
    outfile: path,
  });
  return { path, bytes: statSync(path).size };
};

/** Size of the bundle and what it is made of. */
export interface BundleAnalysis {
  readonly bytes: number;
  /** Bytes in the output per package, largest first. */
  readonly packages: readonly Share[];
  /** False when rebuilding with the known options did not give dist/handler.js's size (the breakdown may be off). */
  readonly breakdownMatches: boolean;
}

/** Bundles src/handler.ts as `npm run build` does, to `outfile`; returns the esbuild metafile. */
export const buildHandlerBundle = async (root: string, outfile: string) => {
  const result = await build({
    ...LAMBDA_BUILD,
    absWorkingDir: root,
    outfile,
    metafile: true,
  });
  return result.metafile;
};

/** Measures dist/handler.js and breaks it down by package with an esbuild metafile of the same build. */
export const analyzeBundle = async (root: string, outDir: string): Promise<BundleAnalysis> => {
  const bytes = statSync(join(root, 'dist', 'handler.js')).size;
  // Same file name as dist/handler.js, so the source map comment and hence the size match.
  const metafile = await buildHandlerBundle(root, join(outDir, 'analysis', 'handler.js'));
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const inputs = Object.entries(output?.inputs ?? {});
  return {
    bytes,
    packages: shares(inputs.map(([path, input]) => [packageOf(path), input.bytesInOutput] as const)),
    breakdownMatches: output?.bytes === bytes,
  };
};
