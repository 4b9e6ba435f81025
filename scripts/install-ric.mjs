// `npm run install-ric`: installs the AWS Lambda runtime interface client (npm aws-lambda-ric, the code that runs a
// Node.js function in Lambda) into .local/ric, for the test that runs the bundle the way Lambda does. Not a
// dependency of the project: it builds native code with cmake and g++ (about a minute), which a user's `npm ci` or
// `sam build` must not need. Does nothing when that version is already there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const VERSION = '4.0.2';
const root = resolve(import.meta.dirname, '..');
const prefix = join(root, '.local', 'ric');
const installed = join(prefix, 'node_modules', 'aws-lambda-ric');

const installedVersion = () => {
  // The native part is built last: without it the install did not finish.
  if (!existsSync(join(installed, 'rapid-client.node'))) return undefined;
  return JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
};

if (installedVersion() === VERSION) {
  console.log(`aws-lambda-ric ${VERSION} is installed in .local/ric`);
} else {
  console.log(
    `Installing aws-lambda-ric ${VERSION} into .local/ric (builds native code with cmake and g++)...`,
  );
  mkdirSync(prefix, { recursive: true });
  // The project's Node.js 24 first on PATH: the native addon is built for the Node.js that runs the tests.
  const env = {
    ...process.env,
    PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  };
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      `aws-lambda-ric@${VERSION}`,
    ],
    { stdio: 'inherit', env },
  );
  if (installedVersion() !== VERSION) {
    console.error('aws-lambda-ric did not install completely (is cmake installed?)');
    process.exitCode = 1;
  }
}
