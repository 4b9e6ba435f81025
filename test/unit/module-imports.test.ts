import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');
// Entry points run as soon as they load; the handler reads its configuration at cold start.
const RUNS_ON_LOAD = new Set([
  'handler.ts',
  'hosts/invoke/main.ts',
  'hosts/local/main.ts',
  'hosts/put/main.ts',
]);

const modules = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative(SRC, path)] : [];
  });

const withoutForwarderSettings = () => {
  for (const name of Object.keys(process.env)) {
    if (/^(FORWARD_|LISTENER_)/.test(name)) delete process.env[name];
  }
};

describe('importing the function and its hosts', () => {
  beforeEach(withoutForwarderSettings);

  it.each(modules(SRC).filter((path) => !RUNS_ON_LOAD.has(path)))(
    'loads %s without any configuration',
    (path) => {
      jest.isolateModules(() => {
        expect(() => require(join(SRC, path))).not.toThrow();
      });
    },
  );

  it('reads the configuration when the handler loads, as a cold start does, and fails it naming what is missing', () => {
    jest.isolateModules(() => {
      expect(() => require(join(SRC, 'handler.ts'))).toThrow(/^FORWARD_URL is required/);
    });
  });
});
