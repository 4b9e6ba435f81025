import { UsageError } from '../../lib/errors';
/** What `npm run put` was asked to write. */
export interface PutArgs {
  /** JSON payloads from the command line; empty means "read lines from stdin". */
  readonly payloads: readonly string[];
  /** One key for every record; each record gets a random key without it, spreading them over the shards. */
  readonly partitionKey: string | undefined;
  /** Copies of each payload. */
  readonly count: number;
  readonly help: boolean;
}

/** Up to this many records written, each is listed with its shard and sequence number. */
export const LISTED_RECORDS = 10;

export const PUT_USAGE = `Usage: npm run put -- '<json>' ['<json>' ...] [--partition-key KEY] [--count N]
       <lines of JSON> | npm run put -- [--partition-key KEY] [--count N]

Writes each JSON payload as one record (N times with --count) to the stream npm start reads:
the same KINESIS_ENDPOINT, KINESIS_PORT and STREAM_NAME settings apply.
Without --partition-key every record gets a random key, so records spread over the shards.
Prints each record's shard and sequence number, up to ${LISTED_RECORDS} records; above that, for each shard
how many records it got and the first and last sequence number.`;

/** Checks that a payload is one JSON value; receivers of this forwarder expect JSON. */
export const checkJson = (payload: string, where: string): string => {
  const trimmed = payload.trim();
  try {
    JSON.parse(trimmed);
  } catch (error) {
    const shown = trimmed.length > 60 ? `${trimmed.slice(0, 60)}...` : trimmed;
    throw new UsageError(`${where} is not valid JSON (${(error as Error).message}): ${shown}`);
  }
  return trimmed;
};

/**
 * Parses `npm run put` arguments.
 *
 * @throws {UsageError} for an unknown option, a missing value, a bad count or a payload that is not JSON.
 */
export const parsePutArgs = (argv: readonly string[]): PutArgs => {
  const payloads: string[] = [];
  let partitionKey: string | undefined;
  let count = 1;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--partition-key' || flag === '-k') {
      partitionKey = value();
      if (partitionKey.length > 256) throw new UsageError('--partition-key must be at most 256 characters');
    } else if (flag === '--count' || flag === '-n') {
      const raw = value();
      count = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(count) || count < 1 || count > 100_000) {
        throw new UsageError(`--count must be an integer between 1 and 100000, got "${raw}"`);
      }
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      throw new UsageError(`unknown option ${flag}`);
    } else payloads.push(checkJson(arg, `argument ${payloads.length + 1}`));
  }
  return { payloads, partitionKey, count, help };
};

/** The payloads of piped input: one JSON value per non-empty line. */
export const payloadLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => checkJson(line, `stdin line ${index + 1}`));
