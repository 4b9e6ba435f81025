import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../paths';

/**
 * A scratch repository root holding copies of what the generated docs are made from and written to: README.md,
 * BENCHMARKS.md, bench/results and docs/ when there is one. The caller removes it.
 */
export const copyDocs = (): string => {
  const root = mkdtempSync(join(os.tmpdir(), 'bench-docs-'));
  for (const path of ['README.md', 'BENCHMARKS.md', join('bench', 'results'), 'docs']) {
    try {
      cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return root;
};

/** Every file under `root` (relative path to content), skipping the folders named in `except`. */
export const snapshot = (root: string, except: readonly string[] = []): Map<string, string> =>
  new Map(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .filter((path) => !except.some((folder) => path.startsWith(`${folder}/`)))
      .sort()
      .map((path) => [path, readFileSync(join(root, path), 'utf8')]),
  );
