import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

const run = promisify(execFile);

// Loads the bundle with nothing around it, as Lambda does, and invokes it once with a Lambda-like context.
const INVOKE_BUNDLE = `
const { handler } = require(process.argv[1]);
const event = JSON.parse(process.argv[2]);
const start = Date.now();
const context = {
  functionName: 'forwarder', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:forwarder',
  getRemainingTimeInMillis: () => 30000 - (Date.now() - start),
};
handler(event, context).then((response) => process.stdout.write(JSON.stringify(response)));
`;

/**
 * Runs a built handler bundle once in a fresh Node.js process (this test run's Node.js) with only `env` (and PATH)
 * as its environment, metrics and logs off unless `env` says otherwise; returns the handler's response.
 */
export const invokeBundle = async (
  bundlePath: string,
  event: KinesisStreamEvent,
  env: Record<string, string>,
): Promise<KinesisStreamBatchResponse> => {
  const { stdout } = await run(process.execPath, ['-e', INVOKE_BUNDLE, bundlePath, JSON.stringify(event)], {
    env: {
      PATH: process.env.PATH,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...env,
    },
  });
  return JSON.parse(stdout) as KinesisStreamBatchResponse;
};
