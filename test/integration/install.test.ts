import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, type Finished, watch } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');
const ENSURE_DEPS = join(ROOT, 'scripts', 'ensure-deps.mjs');

const run = (command: string, args: readonly string[], cwd: string): Promise<Finished> =>
  watch(spawn(command, args, { cwd, env: childEnv() }), 60_000);

// A project npm can install offline: one local dependency with an install script, and engines no Node.js meets,
// so npm warns EBADENGINE as it does for this project on a host Node.js older than 22.
const writeProject = (dir: string): void => {
  mkdirSync(join(dir, 'dep'));
  writeFileSync(
    join(dir, 'dep', 'package.json'),
    JSON.stringify({ name: 'dep', version: '1.0.0', scripts: { postinstall: 'node -e ""' } }),
  );
  const root = {
    name: 'fixture',
    version: '1.0.0',
    engines: { node: '>=99' },
    dependencies: { dep: 'file:./dep' },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...root, private: true }));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({
      name: 'fixture',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': root,
        dep: { version: '1.0.0', hasInstallScript: true },
        'node_modules/dep': { resolved: 'dep', link: true },
      },
    }),
  );
};

describe('scripts/ensure-deps.mjs, the pre script of every npm script', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
    writeProject(dir);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("installs a fresh clone with npm ci, one line of its own instead of npm's warnings, nothing on stdout", async () => {
    const first = await run(process.execPath, [ENSURE_DEPS], dir);

    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'node_modules', 'dep', 'package.json'))).toBe(true);
    expect(first.stderr).toContain('Installing dependencies with npm ci');
    expect(first.stderr).not.toMatch(/EBADENGINE|npm warn/);
    // `npm run --silent invoke` pipes the function's answer: npm's "added 1 package" must not come before it.
    expect(first.stdout).toBe('');
  });

  it('does nothing once node_modules is as new as package-lock.json', async () => {
    await run(process.execPath, [ENSURE_DEPS], dir);

    const again = await run(process.execPath, [ENSURE_DEPS], dir);

    expect(again).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it("fails with npm's error when npm ci fails, and says so", async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    manifest.dependencies.other = 'file:./dep'; // not in package-lock.json
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));

    const failed = await run(process.execPath, [ENSURE_DEPS], dir);

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/npm error .*in sync/);
    expect(failed.stderr).toContain("npm ci failed (exit code 1); npm's errors above say why.");
  });
});

describe("the project's install scripts", () => {
  it('are all reviewed in package.json (allowScripts), so npm neither warns about them nor will block them', async () => {
    const listed = await run('npm', ['install-scripts', 'ls', '--json'], ROOT);
    if (listed.code !== 0 && /Unknown command/i.test(listed.stderr + listed.stdout)) {
      console.warn(
        `SKIPPED: this npm has no install-scripts command (npm 11.16 or later has): ${listed.stderr}`,
      );
      return;
    }

    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ allowScripts: [] });
  });

  it("include the node package's, which installs the Node.js 24 that every npm script runs on", () => {
    const { allowScripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

    expect(allowScripts).toMatchObject({ node: true });
  });
});
