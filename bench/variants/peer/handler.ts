// The peer: the Kinesis-to-HTTP consumer a user would write with the usual tools, Powertools' batch utility and
// axios. Every record POSTed as it comes, all records of the batch at once (Powertools' default), through axios'
// default instance and stock adapter; the records that fail are reported for Lambda to retry. No ordering, no
// concurrency cap, no retries of its own. The benchmark bundles it as it bundles the function.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import axios from 'axios';

// Read at cold start, as such a consumer does.
const url = process.env.RECEIVER_URL ?? '';
const processor = new BatchProcessor(EventType.KinesisDataStreams);

const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
  await axios.post(url, JSON.stringify(record.kinesis));
};

export const handler = async (
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> =>
  (await processPartialResponse(event, recordHandler, processor, { context })) as KinesisStreamBatchResponse;
