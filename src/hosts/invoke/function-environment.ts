import { type Env, present } from '../../lib/env';

// SAM runs the function in Docker, where this name reaches the machine; on the machine itself it does not resolve.
const DOCKER_HOST = 'host.docker.internal';
const URL_VARIABLES = ['FORWARD_URL', 'LISTENER_ENDPOINT'] as const;

/** The variables `npm run invoke` adds to the function's environment, and the notes it prints about them. */
export interface InvokeEnvironment {
  readonly added: Record<string, string>;
  readonly notes: readonly string[];
}

const onThisMachine = (raw: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.hostname.toLowerCase() !== DOCKER_HOST) return undefined;
  url.hostname = '127.0.0.1';
  return url.toString();
};

/**
 * The function's environment for a run on this machine: the `--env-vars` file's variables over `env`; a receiver
 * URL at `host.docker.internal` (what a `sam local invoke` env file holds) pointed at 127.0.0.1, with a note; and
 * metrics off when the logs are SILENT, unless asked for, so SILENT prints nothing of the function's.
 */
export const invokeEnvironment = (env: Env, fromFile: Record<string, string>): InvokeEnvironment => {
  const added: Record<string, string> = { ...fromFile };
  const merged: Env = { ...env, ...fromFile };
  const notes: string[] = [];
  for (const name of URL_VARIABLES) {
    const raw = present(merged, name);
    const local = raw === undefined ? undefined : onThisMachine(raw);
    if (local === undefined) continue;
    added[name] = local;
    notes.push(`${name} names ${DOCKER_HOST}, Docker's name for this machine; using 127.0.0.1 instead`);
  }
  const silent = present(merged, 'POWERTOOLS_LOG_LEVEL')?.toUpperCase() === 'SILENT';
  if (silent && present(merged, 'POWERTOOLS_METRICS_DISABLED') === undefined) {
    added.POWERTOOLS_METRICS_DISABLED = 'true';
  }
  return { added, notes };
};
