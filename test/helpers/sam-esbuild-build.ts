// What `sam build` does for a function with `BuildMethod: esbuild` (aws-lambda-builders' NodejsNpmEsbuildBuilder),
// without SAM CLI: copy the project, install its production dependencies in the copy, find esbuild in the copy's
// node_modules/.bin and then on PATH, and run it with the function's BuildProperties.
import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Json } from './cloudformation-template';

const run = promisify(execFile);

// CopySourceAction leaves these out, at any depth.
const NOT_COPIED = new Set(['.aws-sam', '.git', 'node_modules']);

// How aws-lambda-builders turns each (snake_case) build property into an esbuild flag.
const BOOLEAN_FLAGS = ['minify', 'sourcemap'];
const VALUE_FLAGS = ['target', 'format', 'main_fields', 'sources_content'];
const LIST_FLAGS = ['external', 'loader', 'out_extension', 'banner'];
const NOT_FLAGS = ['entry_points', 'use_npm_ci'];

/** SAM CLI hands BuildProperties to the builder in snake_case: `UseNpmCi` becomes `use_npm_ci`. */
export const snakeCase = (name: string): string => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

const kebab = (name: string) => name.replaceAll('_', '-');

/**
 * The esbuild command line aws-lambda-builders builds from a function's BuildProperties: entry points, then
 * `--bundle --platform=node --outdir`, defaults for what is not set, then the properties' own flags.
 *
 * @throws {Error} for a property this emulation does not know, so a new one is not silently ignored.
 */
export const esbuildArguments = (buildProperties: Record<string, Json>, outdir: string): string[] => {
  const props = Object.fromEntries(Object.entries(buildProperties).map(([k, v]) => [snakeCase(k), v]));
  const unknown = Object.keys(props).filter(
    (name) => ![...BOOLEAN_FLAGS, ...VALUE_FLAGS, ...LIST_FLAGS, ...NOT_FLAGS].includes(name),
  );
  if (unknown.length > 0)
    throw new Error(`BuildProperties this emulation does not know: ${unknown.join(', ')}`);
  const entryPoints = props.entry_points;
  if (!Array.isArray(entryPoints) || entryPoints.length === 0) throw new Error('EntryPoints must be a list');

  const args = [...entryPoints.map(String), '--bundle', '--platform=node', `--outdir=${outdir}`];
  if (!('target' in props)) args.push('--target=es2020');
  if (!('format' in props)) args.push('--format=cjs');
  if (!('minify' in props)) args.push('--minify');
  for (const name of BOOLEAN_FLAGS) if (props[name] === true) args.push(`--${kebab(name)}`);
  for (const name of VALUE_FLAGS) if (name in props) args.push(`--${kebab(name)}=${String(props[name])}`);
  for (const name of LIST_FLAGS) {
    const values = props[name];
    if (values === undefined) continue;
    if (!Array.isArray(values)) throw new Error(`${name} must be a list`);
    for (const value of values) args.push(`--${kebab(name)}:${String(value)}`);
  }
  return args;
};

/** Copies a project the way the builder copies it to its scratch directory. */
export const copyProjectAsSamDoes = (source: string, destination: string): void => {
  cpSync(source, destination, { recursive: true, filter: (path) => !NOT_COPIED.has(basename(path)) });
};

const executableIn = (dir: string, name: string): string | undefined => {
  const path = join(dir, name);
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
};

/** `PATH` without the directories that hold an executable `name`: a machine where `name` is not installed. */
export const pathWithout = (name: string, path: string): string =>
  path
    .split(delimiter)
    .filter((dir) => dir !== '' && executableIn(dir, name) === undefined)
    .join(delimiter);

/** Every package name under a node_modules directory, nested ones included. */
export const installedPackages = (nodeModules: string): Set<string> => {
  const names = new Set<string>();
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const scoped = entry.name.startsWith('@');
      const packages = scoped
        ? readdirSync(join(dir, entry.name)).map((n) => `${entry.name}/${n}`)
        : [entry.name];
      for (const name of packages) {
        names.add(name);
        visit(join(dir, name, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return names;
};

export interface SamEsbuildBuild {
  /** Where the function's artifact was written (what `sam build` puts in .aws-sam/build/<Function>). */
  readonly artifactsDir: string;
  /** The copy's node_modules, as the production install left it. */
  readonly nodeModules: string;
  /** The esbuild executable the build found. */
  readonly esbuild: string;
}

/**
 * Builds a function as `sam build` would: copies `projectDir` to `workDir/scratch`, installs production
 * dependencies there (`npm ci` when the BuildProperties say `UseNpmCi: true`, else `npm install`), then runs the
 * first esbuild found in the copy's `node_modules/.bin` or on `env.PATH`.
 *
 * @throws {Error} "Cannot find esbuild" as the builder fails when neither has one.
 */
export const samEsbuildBuild = async (
  projectDir: string,
  workDir: string,
  buildProperties: Record<string, Json>,
  env: NodeJS.ProcessEnv,
): Promise<SamEsbuildBuild> => {
  const scratch = join(workDir, 'scratch');
  const artifactsDir = join(workDir, 'artifacts');
  copyProjectAsSamDoes(projectDir, scratch);

  // The npm cache is warm on a developer's machine and CI: take packages from it rather than the registry.
  const quiet = ['--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'];
  const install = buildProperties.UseNpmCi === true ? ['ci', ...quiet] : ['install', '--no-save', ...quiet];
  await run('npm', install, { cwd: scratch, env });

  const { stdout: root } = await run('npm', ['root'], { cwd: scratch, env });
  const searched = [join(root.trim(), '.bin'), ...(env.PATH ?? '').split(delimiter)];
  const esbuild = searched.map((dir) => executableIn(dir, 'esbuild')).find((path) => path !== undefined);
  if (esbuild === undefined) throw new Error(`Cannot find esbuild (looked in ${searched.join(', ')})`);

  await run(esbuild, esbuildArguments(buildProperties, artifactsDir), { cwd: scratch, env });
  return { artifactsDir, nodeModules: join(scratch, 'node_modules'), esbuild };
};
