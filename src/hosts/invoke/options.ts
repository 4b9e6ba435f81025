import { UsageError } from '../../lib/errors';
/** The function's logical id in template.yaml: the key of its section in an `--env-vars` file. */
export const FUNCTION_ID = 'ForwarderFunction';

/** The function's timeout when `--timeout` is not given; the same as `Timeout` in template.yaml. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export const USAGE = `usage: npm run invoke -- [--timeout SECONDS] [--env-vars FILE] EVENT_FILE

Runs the Lambda handler once, on this machine, with the Kinesis event in EVENT_FILE, and prints the function's
response as JSON on stdout (logs and metrics go to stderr; POWERTOOLS_LOG_LEVEL=SILENT silences both).
The environment is the function's: FORWARD_URL is required.

  --timeout SECONDS   the function's timeout (default ${DEFAULT_TIMEOUT_SECONDS}, as in template.yaml)
  --env-vars FILE     environment variables in the format of \`sam local invoke --env-vars\`:
                      {"${FUNCTION_ID}": {"FORWARD_URL": "..."}, "Parameters": {...}};
                      a URL at host.docker.internal (SAM's Docker name for this machine) goes to 127.0.0.1
  -h, --help          prints this and exits`;

export interface InvokeOptions {
  readonly eventPath: string;
  readonly envVarsPath: string | undefined;
  readonly timeoutMs: number;
}

const seconds = (raw: string | undefined): number => {
  const value = raw !== undefined && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= 900)) {
    throw new UsageError(`--timeout must be a number of seconds between 1 and 900, got "${raw ?? ''}"`);
  }
  return value;
};

/**
 * Parses the arguments after `npm run invoke --`: `help` when they ask for the usage.
 *
 * @throws {UsageError} saying what is wrong with them.
 */
export const parseInvokeArgs = (args: readonly string[]): InvokeOptions | 'help' => {
  if (args.some((arg) => arg === '--help' || arg === '-h')) return 'help';
  let eventPath: string | undefined;
  let envVarsPath: string | undefined;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      index += 1;
      const next = args[index];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--timeout') timeoutSeconds = seconds(value());
    else if (flag === '--env-vars') envVarsPath = value();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (eventPath !== undefined)
      throw new UsageError(`one event file only, got "${eventPath}" and "${arg}"`);
    else eventPath = arg;
  }
  if (eventPath === undefined)
    throw new UsageError('the event file is missing, e.g. events/single-record.json');
  return { eventPath, envVarsPath, timeoutMs: Math.round(timeoutSeconds * 1000) };
};
