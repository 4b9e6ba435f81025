// The tests run on the Node.js 24 that `npm ci` installs as node_modules/.bin/node (Lambda's nodejs24.x). Jest
// started by an older Node.js (node_modules/.bin/jest from a shell or an editor, which runs the host's node) would
// fail test by test on what that Node.js lacks: stop at once and say how to run them.
const NODE_MAJOR = 24;
if (Number(process.versions.node.split('.')[0]) < NODE_MAJOR) {
  const message = [
    `Jest is running on Node.js ${process.version}; this project's tests need Node.js ${NODE_MAJOR}.`,
    `npm ci installed Node.js ${NODE_MAJOR} as node_modules/.bin/node, and npm puts that folder first on PATH.`,
    'Run the tests through npm:',
    '  npx jest test/unit/config.test.ts   one test file (add -t "<test name>" for one test)',
    '  npm test                            type check, lint and every test',
    'In an editor, have its Jest runner start `npx jest`, or use node_modules/.bin/node as its Node.js.',
  ].join('\n');
  const error = new Error(message);
  error.stack = message; // the message alone: a stack trace into this file would bury what to do
  throw error;
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  // Middy 7 ships ESM only, and Lambda's InvokeStore loads async_hooks with import(): compile both to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|@aws/lambda-invoke-store)/)'],
  moduleNameMapper: { '^@middy/([^/]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  testTimeout: 20000,
};
