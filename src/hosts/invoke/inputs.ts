import { readFile } from 'node:fs/promises';
import { UsageError } from '../../lib/errors';
import { isObject } from '../../lib/guards';
import { FUNCTION_ID } from './options';

const readJson = async (path: string, what: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} ${path} does not exist`);
    if (code === 'EISDIR') throw new UsageError(`${what} ${path} is a directory, not a file`);
    throw new UsageError(`${what} ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
};

/**
 * Reads an event file. Any JSON is handed to the function as it is, so an event of the wrong shape fails the way it
 * would in Lambda.
 *
 * @throws {UsageError} when the file is missing or is not JSON.
 */
export const readEventFile = (path: string): Promise<unknown> => readJson(path, 'event file');

const variables = (section: unknown, where: string, path: string): Record<string, string> => {
  if (section === undefined) return {};
  if (!isObject(section))
    throw new UsageError(`--env-vars ${path}: "${where}" must be an object of variables`);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(section)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new UsageError(`--env-vars ${path}: ${where}.${name} must be a string, number or boolean`);
    }
    result[name] = String(value);
  }
  return result;
};

/**
 * Reads an environment file in `sam local invoke --env-vars` format: variables for every function under
 * `Parameters`, and for this one under its logical id, which wins.
 *
 * @throws {UsageError} when the file is missing, not JSON, or not in that format.
 */
export const readEnvVarsFile = async (path: string): Promise<Record<string, string>> => {
  const content = await readJson(path, '--env-vars file');
  if (!isObject(content)) {
    throw new UsageError(
      `--env-vars ${path} must be a JSON object like {"${FUNCTION_ID}": {"FORWARD_URL": "..."}}`,
    );
  }
  return {
    ...variables(content.Parameters, 'Parameters', path),
    ...variables(content[FUNCTION_ID], FUNCTION_ID, path),
  };
};
