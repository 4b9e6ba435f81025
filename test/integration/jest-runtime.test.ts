import { spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { childEnv, watch } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');
const REQUIRED_MAJOR = 24;

// A Node.js older than the tests need, outside node_modules: the host's, which node_modules/.bin/jest's
// `#!/usr/bin/env node` finds when a shell or an editor starts it without npm.
const olderHostNode = (): { path: string; version: string } | undefined => {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin'];
  const seen = new Set<string>();
  for (const folder of folders.filter((each) => each !== '' && !each.includes('node_modules'))) {
    const path = join(folder, 'node');
    if (!existsSync(path) || seen.has(realpathSync(path))) continue;
    seen.add(realpathSync(path));
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (Number(/^v(\d+)\./.exec(version)?.[1]) < REQUIRED_MAJOR) return { path, version };
  }
  return undefined;
};

const hostNode = olderHostNode();
if (hostNode === undefined) {
  console.warn(`SKIPPED jest-runtime.test.ts: no Node.js older than ${REQUIRED_MAJOR} outside node_modules`);
}

describe('jest started by a Node.js older than the tests need', () => {
  (hostNode ? it : it.skip)(
    'stops before any test, saying which Node.js ran it and how to run a test',
    async () => {
      const { path, version } = hostNode ?? { path: '', version: '' };

      const run = await watch(
        spawn(path, [join(ROOT, 'node_modules', '.bin', 'jest'), 'test/unit/config.test.ts'], {
          cwd: ROOT,
          env: childEnv(),
        }),
        30_000,
      );

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `Jest is running on Node.js ${version}; this project's tests need Node.js 24.`,
      );
      expect(run.stderr).toContain('npx jest test/unit/config.test.ts');
      expect(run.stderr).not.toMatch(/Test Suites|withResolvers|at Object/);
    },
  );
});
