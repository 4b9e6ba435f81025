import { decimal, type Env, integer, parseHttpUrl, present } from '../../src/lib/env';

/** Settings of `npm run soak`, read once from the environment. */
export interface SoakConfig {
  /** Records to put and see delivered. */
  readonly records: number;
  /** Records per `npm run put`. */
  readonly chunk: number;
  /** Most records put but not yet delivered, so the stream never runs far ahead of the forwarder. */
  readonly backlog: number;
  /** The whole run stops after this long, finished or not. */
  readonly maxMinutes: number;
  /** How much the last quarter's median RSS may exceed the second quarter's and still count as flat. */
  readonly tolerance: number;
  /** Where the results are written (JSON) unless `npm run soak -- --write` keeps them in bench/results. */
  readonly output: string;
  /**
   * V8's old-space limit for the forwarder (--max-old-space-size): a memory bound, as a Lambda function has one.
   * 0 leaves it to V8, which on a large machine lets the heap grow to hundreds of MB before it collects fully.
   */
  readonly heapMb: number;
  /** A Kinesis endpoint in another process instead of the embedded emulator, to weigh the forwarder alone. */
  readonly kinesisEndpoint: string | undefined;
}

const endpoint = (env: Env, name: string): string | undefined => {
  const raw = present(env, name);
  return raw === undefined ? undefined : parseHttpUrl(name, raw).toString().replace(/\/$/, '');
};

/**
 * Parses the soak's settings: SOAK_RECORDS, SOAK_CHUNK, SOAK_BACKLOG, SOAK_MAX_MINUTES, SOAK_TOLERANCE,
 * SOAK_OUTPUT, SOAK_HEAP_MB and SOAK_KINESIS_ENDPOINT.
 *
 * @throws {ConfigError} for a value out of range or not a number.
 */
export const parseSoakConfig = (env: Env): SoakConfig => {
  const records = integer(env, 'SOAK_RECORDS', 100_000, 1000, 10_000_000);
  const chunk = integer(env, 'SOAK_CHUNK', 5000, 1, 100_000);
  return {
    records,
    chunk,
    backlog: integer(env, 'SOAK_BACKLOG', 4 * chunk, chunk, 10_000_000),
    maxMinutes: decimal(env, 'SOAK_MAX_MINUTES', 15, 1, 240),
    tolerance: decimal(env, 'SOAK_TOLERANCE', 0.1, 0, 10),
    output: present(env, 'SOAK_OUTPUT') ?? '.local/bench/soak.json',
    heapMb: integer(env, 'SOAK_HEAP_MB', 256, 0, 65_536),
    kinesisEndpoint: endpoint(env, 'SOAK_KINESIS_ENDPOINT'),
  };
};
