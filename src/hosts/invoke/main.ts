// `npm run invoke -- EVENT_FILE`: runs the Lambda handler once on this machine, the way Lambda would, and prints its
// response as JSON on stdout. Exit codes: 0 the function answered, 1 it failed or timed out, 2 it could not be run.
import type { KinesisStreamEvent } from 'aws-lambda';
import { ConfigError } from '../../lib/env';
import { UsageError } from '../../lib/errors';
import { createInvoker, type StreamHandler } from '../invoker';
import { createLambdaContext } from '../lambda-context';
import { loadFunction } from '../load-function';
import { invokeEnvironment } from './function-environment';
import { readEnvVarsFile, readEventFile } from './inputs';
import { type InvokeOptions, parseInvokeArgs, USAGE } from './options';

// stdout carries only the response; everything else the function writes (logs, metrics) goes to stderr.
const stdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const exit = (code: number, output?: unknown): void => {
  const done = () => process.exit(code);
  if (output === undefined) done();
  else stdout(`${JSON.stringify(output)}\n`, done);
};

const fail = (message: string): void => {
  process.stderr.write(`invoke: ${message}\n`);
  exit(2);
};

// Lambda imports the handler once the environment is set; configuration is read at that moment.
const importHandler = async (added: Record<string, string>): Promise<StreamHandler> => {
  try {
    return await loadFunction(added);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const example = error.message.startsWith('FORWARD_URL is required')
      ? ', e.g.\n  FORWARD_URL=http://127.0.0.1:8080/events npm run invoke -- events/single-record.json'
      : '.';
    throw new UsageError(
      `the function's environment is not valid: ${error.message}.\n` +
        `Set it in the environment or in an --env-vars file${example}`,
    );
  }
};

const invoke = async ({ eventPath, envVarsPath, timeoutMs }: InvokeOptions): Promise<void> => {
  const event = await readEventFile(eventPath);
  // The only place this entry reads the environment; the function reads its own when it loads.
  const { added, notes } = invokeEnvironment(
    { ...process.env },
    envVarsPath === undefined ? {} : await readEnvVarsFile(envVarsPath),
  );
  for (const note of notes) process.stderr.write(`invoke: ${note}\n`);
  const handler = await importHandler(added);

  const outcome = await createInvoker(handler).invoke(event as KinesisStreamEvent, {
    timeoutMs,
    context: () => createLambdaContext({ timeoutMs }),
  });

  if (outcome === undefined || outcome.kind === 'timed-out') {
    const message = `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
    process.stderr.write(`invoke: ${message}\n`);
    exit(1, { errorType: 'Sandbox.Timedout', errorMessage: message });
  } else if (outcome.kind === 'threw') {
    // What Lambda (and `sam local invoke`) answers for a function that threw.
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    process.stderr.write(`invoke: the function failed: ${error.name}: ${error.message}\n`);
    exit(1, { errorType: error.name, errorMessage: error.message });
  } else {
    exit(0, outcome.response ?? null);
  }
};

const main = async (): Promise<void> => {
  let options: InvokeOptions | 'help';
  try {
    options = parseInvokeArgs(process.argv.slice(2));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
    return;
  }
  if (options === 'help') {
    stdout(`${USAGE}\n`, () => process.exit(0));
    return;
  }
  try {
    await invoke(options);
  } catch (error) {
    fail(
      error instanceof UsageError ? error.message : `could not run the function: ${(error as Error).stack}`,
    );
  }
};

void main();
