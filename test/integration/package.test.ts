import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { invokeBundle } from '../helpers/invoke-bundle';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..');

/** Each entry's name and Unix permissions, from the zip's central directory. */
const unixModes = (zip: Buffer): Record<string, number> => {
  const modes: Record<string, number> = {};
  for (let at = zip.indexOf('PK\x01\x02'); at >= 0; at = zip.indexOf('PK\x01\x02', at + 4)) {
    const madeOnUnix = zip.readUInt8(at + 5) === 3;
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    modes[name] = madeOnUnix ? (zip.readUInt32LE(at + 38) >>> 16) & 0o777 : -1;
  }
  return modes;
};

describe('npm run package', () => {
  const receiver = useReceiver();
  let dir: string;

  beforeAll(async () => {
    await run('npm', ['run', '--silent', 'package'], { cwd: REPO });
  }, 120_000);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'function-zip-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('zips the bundle and its source map at the root, readable by any user', () => {
    const zip = readFileSync(join(REPO, 'dist', 'function.zip'));

    const files = unzipSync(zip);

    expect(Object.keys(files).sort()).toEqual(['handler.js', 'handler.js.map']);
    expect(unixModes(zip)).toEqual({ 'handler.js': 0o644, 'handler.js.map': 0o644 });
    const map = JSON.parse(Buffer.from(files['handler.js.map'] as Uint8Array).toString('utf8')) as {
      sources: string[];
    };
    expect(map.sources).toContain('../src/handler.ts');
  });

  it('holds a handler that runs on its own and forwards a batch', async () => {
    // Arrange: only the zip's content, in an empty folder, as Lambda unpacks it.
    const files = unzipSync(readFileSync(join(REPO, 'dist', 'function.zip')));
    for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
    const record = kinesisRecord({ payload: { from: 'the zip' } });

    // Act
    const response = await invokeBundle(join(dir, 'handler.js'), kinesisEvent([record]), {
      FORWARD_URL: receiver.url,
    });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([record.kinesis]);
  });
});
