import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const workdir = mkdtempSync(path.join(tmpdir(), 'forwarder-tracing-'));
const bundle = path.join(workdir, 'handler.js');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'src/handler.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

// Loads the bundled handler in a fresh process (the X-Ray SDK patches node:http for the whole process) and
// reports whether outgoing requests are captured.
const outgoingRequestsCaptured = async (env: Record<string, string>): Promise<boolean> => {
  const script = `const http = require('node:http'); require(${JSON.stringify(bundle)}); console.log(http.request.name);`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: root,
    env: { PATH: process.env.PATH, FORWARD_URL: 'http://127.0.0.1:9/events', ...env },
  });
  return stdout.trim() === 'captureHTTPsRequest';
};

describe('tracing', () => {
  it('captures outgoing HTTP requests when running in Lambda', async () => {
    const captured = await outgoingRequestsCaptured({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    });

    expect(captured).toBe(true);
  });

  it('leaves node:http alone when tracing is off', async () => {
    const captured = await outgoingRequestsCaptured({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });

    expect(captured).toBe(false);
  });
});
