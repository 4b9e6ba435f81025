import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const FUNCTIONS = ['Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not'];
const MORE_FUNCTIONS = ['And', 'Or', 'Select', 'Split', 'Sub', 'Transform'];

const longForm = (name: string, value: unknown): JsonObject => {
  if (name === 'Ref') return { Ref: value as Json };
  if (name === 'Condition') return { Condition: value as Json };
  // The short form of GetAtt is "Resource.Attribute".
  if (name === 'GetAtt')
    return { 'Fn::GetAtt': typeof value === 'string' ? value.split('.') : (value as Json) };
  return { [`Fn::${name}`]: value as Json };
};

// Every CloudFormation short-form tag, on a scalar, a sequence or a mapping, read into its long (JSON) form.
const CLOUDFORMATION_TAGS: Tags = ['Ref', 'GetAtt', 'Condition', ...FUNCTIONS, ...MORE_FUNCTIONS].flatMap(
  (name) => [
    { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: { toJSON: () => unknown }) => longForm(name, value.toJSON()),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: { toJSON: () => unknown }) => longForm(name, value.toJSON()),
    },
  ],
);

/** Parses CloudFormation YAML with its `!Ref`, `!GetAtt`, `!Sub`... tags turned into their JSON forms. */
export const parseCloudFormation = (text: string): JsonObject =>
  parse(text, { customTags: CLOUDFORMATION_TAGS }) as JsonObject;

const REPO = join(__dirname, '..', '..');

/** Reads a file of this repository. */
export const readRepoFile = (path: string): string => readFileSync(join(REPO, path), 'utf8');

/** Narrows a template node to an object, failing the test with the path when it is not one. */
export const object = (value: Json | undefined, what: string): JsonObject => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} should be an object, got ${JSON.stringify(value)}`);
  }
  return value;
};

/** Every node of a template, depth first. */
export function* walk(node: Json): Generator<Json> {
  yield node;
  if (Array.isArray(node)) for (const item of node) yield* walk(item);
  else if (typeof node === 'object' && node !== null)
    for (const value of Object.values(node)) yield* walk(value);
}

const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

/**
 * Resolves `Ref` (to parameters and pseudo parameters), `Fn::If` with the template's conditions (`Fn::Equals`,
 * `Fn::Not`, `Condition`), `Fn::Sub` over `${Name}` (with or without its own variables) and `AWS::NoValue`, the way
 * CloudFormation would for the given parameter values. Refs to resources and `Fn::GetAtt` stay as they are, and so
 * does a `${Resource}` or `${Resource.Attribute}` in a `Fn::Sub`.
 */
export const resolveWith = (template: JsonObject, parameters: Record<string, string>) => {
  const conditions = object(template.Conditions, 'Conditions');
  const values: Record<string, string> = {
    'AWS::StackName': 'forwarder-stack',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': '123456789012',
    'AWS::Partition': 'aws',
    ...parameters,
  };

  const condition = (name: string): boolean => {
    const definition = conditions[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    return truth(definition);
  };
  const truth = (node: Json): boolean => {
    const fn = object(node, 'condition');
    if ('Fn::Equals' in fn) {
      const [a, b] = fn['Fn::Equals'] as Json[];
      return JSON.stringify(resolve(a as Json)) === JSON.stringify(resolve(b as Json));
    }
    if ('Fn::Not' in fn) return !truth((fn['Fn::Not'] as Json[])[0] as Json);
    if ('Condition' in fn) return condition(fn.Condition as string);
    throw new Error(`unsupported condition ${JSON.stringify(node)}`);
  };
  const resolve = (node: Json): Resolved => {
    if (Array.isArray(node)) return node.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    if (typeof node !== 'object' || node === null) return node;
    if ('Ref' in node && typeof node.Ref === 'string') {
      if (node.Ref === 'AWS::NoValue') return NO_VALUE;
      return values[node.Ref] ?? node;
    }
    if ('Fn::If' in node) {
      const [name, yes, no] = node['Fn::If'] as [string, Json, Json];
      return resolve(condition(name) ? yes : no);
    }
    if ('Fn::Sub' in node) {
      const [text, variables] =
        typeof node['Fn::Sub'] === 'string' ? [node['Fn::Sub']] : (node['Fn::Sub'] as Json[]);
      const own = Object.entries(object(variables ?? {}, 'Fn::Sub variables')).map(([name, value]) => [
        name,
        resolve(value),
      ]);
      const local: Record<string, Json> = Object.fromEntries(
        own.filter(([, value]) => typeof value === 'string'),
      );
      return String(text).replace(
        /\$\{([\w:.]+)\}/g,
        (whole, name: string) => (local[name] as string | undefined) ?? values[name] ?? whole,
      );
    }
    const result: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const resolved = resolve(value);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  };
  return (node: Json | undefined): Json | undefined => {
    if (node === undefined) return undefined;
    const resolved = resolve(node);
    return resolved === NO_VALUE ? undefined : resolved;
  };
};

/** What `cfn-lint` said of a template: `missing` when it is not on PATH. */
export type CfnLintResult =
  | { readonly missing: true }
  | { readonly missing: false; code: number; output: string };

/** Runs `cfn-lint <template> ...args` in the repository, the file before the flags as cfn-lint expects. */
export const runCfnLint = (path: string, args: readonly string[]): Promise<CfnLintResult> =>
  new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', [path, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? resolve({ missing: true }) : reject(error),
    );
    child.on('close', (code) =>
      resolve({ missing: false, code: code ?? -1, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });

/** Whether `cfn-lint` can be run here. */
export const cfnLintOnPath = (): boolean =>
  spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).error === undefined;
