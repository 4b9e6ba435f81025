import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { Config } from '../../config';
import { shardOfEventId } from '../../lib/event-id';
import { withTimeout } from '../../lib/timers';
import type { Observability } from '../observability/powertools';

/**
 * Remembers what was delivered of a batch that ended with a partial failure, so that when Lambda sends it again (from
 * the lowest failed record on) the records already delivered are not sent a second time. Every method settles;
 * a ledger that fails says why, and delivery goes on without it (at least once, as without a ledger).
 */
export interface DeliveryLedger {
  /** The ids delivered of the batch that starts at `key`; one read. */
  recall(key: string, timeLimitMs: number): Promise<ReadonlySet<string> | LedgerProblem>;
  /** Remembers `ids` as delivered of the batch Lambda will send from `key`; one write. */
  remember(key: string, ids: readonly string[], timeLimitMs: number): Promise<LedgerProblem | undefined>;
}

/** Why the ledger could not be read or written. */
export interface LedgerProblem {
  readonly problem: string;
}

/** How long the ledger keeps what it was told: about as long as Lambda keeps retrying a batch by default. */
export const LEDGER_TTL_SECONDS = 3600;

const NOTHING: ReadonlySet<string> = new Set();

/**
 * Where the batch starting with `first` resumes when Lambda sends it again: the stream, the shard and the first
 * record's sequence number. Lambda resends a batch from its lowest failed record, so that record's key is the one
 * a failed batch is remembered under.
 */
export const resumeKey = (
  first: Pick<KinesisStreamRecord, 'eventSourceARN' | 'eventID' | 'kinesis'>,
): string => {
  return `${first.eventSourceARN ?? ''}/${shardOfEventId(first.eventID)}/${first.kinesis.sequenceNumber}`;
};

/** No ledger (FORWARD_LEDGER=off): every record Lambda sends is sent. */
export const noLedger: DeliveryLedger = {
  recall: async () => NOTHING,
  remember: async () => undefined,
};

export interface MemoryLedgerOptions {
  /** Most ids kept in all; the oldest batches are forgotten first. */
  readonly maxIds?: number;
  readonly ttlSeconds?: number;
  readonly now?: () => number;
}

/**
 * A ledger in the container's memory: bounded, and forgetting after the age limit. A retry that lands on another
 * container finds nothing in it and sends everything, as without a ledger.
 */
export const memoryLedger = ({
  maxIds = 200_000,
  ttlSeconds = LEDGER_TTL_SECONDS,
  now = Date.now,
}: MemoryLedgerOptions = {}): DeliveryLedger => {
  // Insertion order is age order: the first entries are the oldest.
  const entries = new Map<string, { ids: ReadonlySet<string>; expiresAt: number }>();
  let size = 0;
  const forget = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    size -= entry.ids.size;
  };
  return {
    recall: async (key) => {
      const entry = entries.get(key);
      if (entry === undefined) return NOTHING;
      if (entry.expiresAt <= now()) {
        forget(key);
        return NOTHING;
      }
      return entry.ids;
    },
    remember: async (key, ids) => {
      forget(key);
      if (ids.length === 0 || ids.length > maxIds) return undefined;
      for (const [oldest] of entries) {
        if (size + ids.length <= maxIds) break;
        forget(oldest);
      }
      entries.set(key, { ids: new Set(ids), expiresAt: now() + ttlSeconds * 1000 });
      size += ids.length;
      return undefined;
    },
  };
};

// DynamoDB items are at most 400 KB; the compressed ids leave room for the key and the TTL.
const MAX_STORED_BYTES = 350_000;
const pack = promisify(gzip);
const unpack = promisify(gunzip);

const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  return `${error.name}: ${error.message}`;
};

export interface DynamoLedgerOptions {
  readonly table: string;
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly ttlSeconds?: number;
  readonly now?: () => number;
}

/**
 * A ledger in a DynamoDB table shared by the function's containers (a retry often lands on another one): one item
 * per batch to resume, keyed `pk`, holding the delivered ids gzipped in `ids` and an expiry in `ttl` for DynamoDB's
 * TTL. One GetItem per invocation, one PutItem per invocation that ended with a partial failure.
 */
export const dynamoLedger = ({
  table,
  client,
  ttlSeconds = LEDGER_TTL_SECONDS,
  now = Date.now,
}: DynamoLedgerOptions): DeliveryLedger => {
  const { GetItemCommand, PutItemCommand } =
    require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  return {
    recall: async (key, timeLimitMs) => {
      try {
        const read = client.send(
          new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }),
        );
        const output = await withTimeout(read, timeLimitMs, () => {
          throw new Error(`no answer within ${Math.max(0, timeLimitMs)} ms`);
        });
        const item = output.Item;
        if (item === undefined) return NOTHING;
        const expiresAt = Number(item.ttl?.N ?? 0) * 1000;
        if (expiresAt <= now() || item.ids?.B === undefined) return NOTHING;
        const ids = JSON.parse((await unpack(item.ids.B)).toString('utf8')) as unknown;
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
          return { problem: `reading the ledger table ${table}: an item that does not hold a list of ids` };
        }
        return new Set(ids);
      } catch (error) {
        return { problem: `reading the ledger table ${table} failed: ${describe(error)}` };
      }
    },
    remember: async (key, ids, timeLimitMs) => {
      try {
        const packed = await pack(JSON.stringify(ids));
        if (packed.length > MAX_STORED_BYTES) {
          return {
            problem: `${ids.length} delivered ids are too many for one ledger item (${packed.length} bytes)`,
          };
        }
        const write = client.send(
          new PutItemCommand({
            TableName: table,
            Item: {
              pk: { S: key },
              ids: { B: packed },
              ttl: { N: String(Math.floor(now() / 1000) + ttlSeconds) },
            },
          }),
        );
        await withTimeout(write, timeLimitMs, () => {
          throw new Error(`no answer within ${Math.max(0, timeLimitMs)} ms`);
        });
        return undefined;
      } catch (error) {
        return { problem: `writing the ledger table ${table} failed: ${describe(error)}` };
      }
    },
  };
};

// A DynamoDB that cannot be reached fails in about a second: the ledger must never hold delivery up.
const REQUEST_HANDLER = { connectionTimeout: 1000, requestTimeout: 1000, throwOnRequestTimeout: true };

/**
 * The container's ledger for its configuration (FORWARD_LEDGER). The DynamoDB client is loaded only for the
 * `dynamodb` ledger, with `require`, from the runtime's AWS SDK.
 */
export const ledgerFor = (
  config: Pick<Config, 'ledger' | 'ledgerTable'>,
  { tracer }: Pick<Observability, 'tracer'>,
): DeliveryLedger => {
  if (config.ledger === 'off') return noLedger;
  if (config.ledger === 'memory' || config.ledgerTable === undefined) return memoryLedger();
  const { DynamoDBClient: Client } =
    require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const client = new Client({ requestHandler: REQUEST_HANDLER, maxAttempts: 2 });
  return dynamoLedger({
    table: config.ledgerTable,
    client: tracer ? tracer.captureAWSv3Client(client) : client,
  });
};
