import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { pause } from '../../lib/timers';
import type { Printer } from '../local/console/printer';
import { classifyKinesisError, describeKinesisError } from './errors';

export interface EnsureStreamOptions {
  /** Shards of a stream created here. */
  readonly shards: number;
  /** Create the stream when it is missing (emulators); otherwise a missing stream is an error. */
  readonly create: boolean;
  /** Where the stream is, for messages. */
  readonly where: string;
  readonly timeoutMs?: number;
}

const isNotFound = (error: unknown) => (error as { name?: string }).name === 'ResourceNotFoundException';
const isInUse = (error: unknown) => (error as { name?: string }).name === 'ResourceInUseException';

/**
 * Waits until the stream is readable, creating it first when allowed and missing. An endpoint that does not
 * answer yet (an emulator still starting) is waited for too.
 *
 * @throws when the stream is missing and may not be created, or is not active within the timeout.
 */
export const ensureStream = async (
  client: KinesisClient,
  streamName: string,
  options: EnsureStreamOptions,
  print: Printer,
): Promise<void> => {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let created = false;
  let waiting = false;
  for (;;) {
    try {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      const status = summary?.StreamStatus;
      if (status === 'ACTIVE' || status === 'UPDATING') return;
      if (status === 'DELETING') throw new Error(`Stream ${streamName} on ${options.where} is being deleted`);
    } catch (error) {
      const kind = classifyKinesisError(error);
      if (kind === 'transient' || kind === 'throttled') {
        if (Date.now() > deadline)
          throw new Error(`${options.where} does not answer: ${describeKinesisError(error)}`);
        if (!waiting) print.info(`[local] waiting for ${options.where} (${describeKinesisError(error)})`);
        waiting = true;
        await pause(500);
        continue;
      }
      if (!isNotFound(error)) throw error;
      if (!options.create) {
        throw new Error(
          `Stream ${streamName} does not exist on ${options.where}; create it or set STREAM_NAME`,
        );
      }
      if (!created) {
        try {
          await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shards }));
          print.info(
            `[local] created stream ${streamName} with ${options.shards} shards on ${options.where}`,
          );
        } catch (createError) {
          // Someone else created it meanwhile: wait for it like for ours.
          if (!isInUse(createError)) throw createError;
        }
        created = true;
      }
    }
    if (Date.now() > deadline)
      throw new Error(`Stream ${streamName} on ${options.where} did not become active`);
    await pause(100);
  }
};
