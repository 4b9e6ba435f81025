import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../../../test/helpers/lambda-context';
import { startReceiver, type TestReceiver } from '../../../test/helpers/receiver';
import { interleavedRecords, kinesisEvent } from '../../../test/helpers/records';

type PeerHandler = (event: KinesisStreamEvent, context: unknown) => Promise<KinesisStreamBatchResponse>;

// The peer reads its receiver's URL at cold start, as such a consumer does.
const loadPeer = (url: string): PeerHandler => {
  process.env.RECEIVER_URL = url;
  let handler: PeerHandler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../variants/peer/handler') as { handler: PeerHandler }).handler;
  });
  if (!handler) throw new Error('the peer did not load');
  return handler;
};

describe('the peer (Powertools batch processor and axios)', () => {
  let receiver: TestReceiver;

  afterEach(async () => {
    delete process.env.RECEIVER_URL;
    await receiver.close();
  });

  it("POSTs every record's kinesis object as JSON, all of a batch at once", async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 30 }));
    const records = interleavedRecords(24, 3);

    const response = await loadPeer(receiver.url)(kinesisEvent(records), lambdaContext(10_000));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((request) => JSON.parse(request.body))).toEqual(
      expect.arrayContaining(records.map((record) => record.kinesis)),
    );
    expect(receiver.requests).toHaveLength(24);
    // No concurrency cap, no order per key: every record of the batch in flight together.
    expect(receiver.maxInFlight()).toBe(24);
  });

  it('reports the records the receiver refused for Lambda to send again, without retrying them itself', async () => {
    const records = interleavedRecords(6, 2);
    const refused = records[4]?.kinesis.sequenceNumber;
    receiver = await startReceiver((request) => ({
      status: (JSON.parse(request.body) as { sequenceNumber: string }).sequenceNumber === refused ? 503 : 200,
    }));

    const response = await loadPeer(receiver.url)(kinesisEvent(records), lambdaContext(10_000));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: refused }] });
    expect(receiver.requests).toHaveLength(6);
  });
});
