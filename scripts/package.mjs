// Zips the bundle (run `npm run build` first; `npm run package` does both) into dist/function.zip, the artifact a
// pipeline publishes to S3 for Lambda: handler.js (handler `handler.handler`) and its source map at the root.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';

const FILES = ['handler.js', 'handler.js.map'];
// Readable by everyone (Lambda runs the code as another user), and a fixed time so equal input gives an equal zip.
const ENTRY = { os: 3, attrs: 0o644 << 16, mtime: new Date(2000, 0, 1), level: 9 };

const entries = Object.fromEntries(FILES.map((name) => [name, [readFileSync(`dist/${name}`), ENTRY]]));
const zip = zipSync(entries);
writeFileSync('dist/function.zip', zip);

const sha256 = createHash('sha256').update(zip).digest('base64');
console.log(
  `dist/function.zip: ${(zip.length / 1024).toFixed(1)} KiB, sha256 (base64, as Lambda's CodeSha256) ${sha256}`,
);
