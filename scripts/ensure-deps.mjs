// Runs before every npm script (their `pre` scripts): a fresh clone, or one whose package-lock.json changed, installs
// its dependencies first, Node.js 24 included, whatever Node.js runs npm itself.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.error(
    "Installing dependencies with npm ci (once, about 30 s; npm's warnings are left out, its errors are not)...",
  );
  // --loglevel=error: on a host Node.js older than the engines, npm warns EBADENGINE for every package that asks
  // for Node.js 22, a screenful that does not apply, since the scripts run on the Node.js 24 installed here.
  // npm's stdout goes to stderr, so that `npm run --silent invoke` prints only the function's answer on stdout.
  const install = spawnSync('npm ci --no-audit --no-fund --loglevel=error', {
    shell: true,
    stdio: ['inherit', 2, 2],
  });
  if (install.status !== 0) {
    const how = install.error ? install.error.message : `exit code ${install.status ?? install.signal}`;
    console.error(`npm ci failed (${how}); npm's errors above say why.`);
    process.exit(install.status || 1);
  }
}
