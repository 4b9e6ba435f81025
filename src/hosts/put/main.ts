// `npm run put`: writes JSON records to the stream that `npm start` reads.
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { ConfigError } from '../../lib/env';
import { UsageError } from '../../lib/errors';
import { compareSequenceNumbers } from '../../services/delivery/lanes';
import { createKinesisClient, endpointOf } from '../kinesis/client';
import { describeTarget, parseLocalConfig } from '../local/config';
import { consolePrinter as print } from '../local/console/printer';
import { LISTED_RECORDS, PUT_USAGE, parsePutArgs, payloadLines } from './args';
import { type PutResult, putRecords } from './records';

// Up to 10 records, each with its shard and sequence number; above that, per shard how many and the first and last.
const summary = (results: readonly PutResult[]): string => {
  if (results.length <= LISTED_RECORDS) {
    return results.map((r) => `  key=${r.partitionKey} -> ${r.shardId} ${r.sequenceNumber}`).join('\n');
  }
  const perShard = new Map<string, PutResult[]>();
  for (const result of results) {
    const written = perShard.get(result.shardId);
    if (written) written.push(result);
    else perShard.set(result.shardId, [result]);
  }
  return [...perShard]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shardId, written]) => {
      const count = `${written.length} record${written.length === 1 ? '' : 's'}`;
      // A record sent again after throttling can land after later ones: order by sequence number.
      const sorted = written.map((r) => r.sequenceNumber).sort(compareSequenceNumbers);
      const [first, last] = [sorted[0], sorted.at(-1)];
      return `  ${shardId}: ${count}, sequence numbers ${first} to ${last}`;
    })
    .join('\n');
};

const explain = (error: unknown, streamName: string, where: string, embedded: boolean): string => {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (code === 'ECONNREFUSED') {
    return embedded
      ? `Nothing answers at ${where}: start \`npm start\` in another terminal first (or set KINESIS_ENDPOINT)`
      : `Nothing answers at ${where} (${message})`;
  }
  if (name === 'ResourceNotFoundException') return `Stream ${streamName} does not exist on ${where}`;
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
};

const main = async () => {
  const args = parsePutArgs(process.argv.slice(2));
  if (args.help) {
    print.info(PUT_USAGE);
    return;
  }
  let payloads = args.payloads;
  if (payloads.length === 0) {
    if (process.stdin.isTTY) throw new UsageError(`no payload given and nothing piped in\n\n${PUT_USAGE}`);
    payloads = payloadLines(await text(process.stdin));
    if (payloads.length === 0) throw new UsageError('stdin held no JSON lines');
  }

  const config = parseLocalConfig({ ...process.env });
  const endpoint = endpointOf(config);
  const where = describeTarget(config, endpoint);
  const entries = payloads.flatMap((data) =>
    Array.from({ length: args.count }, () => ({ data, partitionKey: args.partitionKey ?? randomUUID() })),
  );
  const client = createKinesisClient(config, endpoint);
  try {
    const results = await putRecords(client, config.streamName, entries).catch((error: unknown) => {
      throw new Error(explain(error, config.streamName, where, config.kinesis.kind === 'embedded'));
    });
    print.info(`put ${results.length} record(s) to ${config.streamName} on ${where}\n${summary(results)}`);
  } finally {
    client.destroy();
  }
};

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  print.warn(
    known ? `put: ${(error as Error).message}` : `put failed: ${(error as Error).message ?? String(error)}`,
  );
  process.exitCode = 1;
});
