import { InvokeStoreBase } from '@aws/lambda-invoke-store';
import { startInvokeStore } from '../../src/hosts/invoker';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

type InvokeContext = Record<string | symbol, unknown>;

/**
 * An invocation's InvokeStore context that turns into `other` once Powertools registered the batch with its batch
 * processor: what an invocation continuing in another's context (seen in Node 24 under the local mode's load) reads
 * and writes from then on.
 */
const contextThatSwitches = (requestId: string, other: InvokeContext): InvokeContext => {
  const own: InvokeContext = { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId };
  let switched = false;
  return new Proxy(own, {
    get: (target, key) => (switched ? other[key] : target[key]),
    set: (target, key, value) => {
      (switched ? other : target)[key] = value;
      if (typeof key === 'symbol' && key.description === 'powertools.batch.handler') switched = true;
      return true;
    },
  });
};

// Invocations at once, as on Lambda Managed Instances and in the local mode: Powertools keeps each one's batch
// processor state in Lambda's InvokeStore, in the invocation's async context.
describe('invocations at once in one process (AWS_LAMBDA_MAX_CONCURRENCY)', () => {
  const receiver = useReceiver((request) => ({
    status: request.body.includes('"partitionKey":"fail-') ? 400 : 200,
  }));

  it("answers with the records not delivered when the batch processor's state went to another invocation", async () => {
    // Arrange
    const store = await startInvokeStore();
    const handler = loadHandler({ FORWARD_URL: receiver.url, AWS_LAMBDA_MAX_CONCURRENCY: '2' });
    const records = [
      kinesisRecord({ partitionKey: 'fine-1' }),
      kinesisRecord({ partitionKey: 'fail-1' }),
      kinesisRecord({ partitionKey: 'fail-2' }),
    ];
    const other: InvokeContext = { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: 'another-invocation' };

    // Act
    const response = await store.run(contextThatSwitches('this-invocation', other), () =>
      handler(kinesisEvent(records), lambdaContext()),
    );

    // Assert
    expect(receiver.requests).toHaveLength(3);
    expect(response.batchItemFailures).toEqual(
      records.slice(1).map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
    );
  });

  it('answers each of two invocations sharing one InvokeStore context with its own records', async () => {
    // Arrange: the receiver holds every request until both batches are in flight, so both batch processors run
    // together, their state in one context.
    const store = await startInvokeStore();
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_ORDERING: 'none',
      FORWARD_ADAPTIVE_CONCURRENCY: 'false',
      FORWARD_CONCURRENCY: '16',
      AWS_LAMBDA_MAX_CONCURRENCY: '2',
    });
    const failing = Array.from({ length: 5 }, (_, n) => kinesisRecord({ partitionKey: `fail-${n}` }));
    const delivered = Array.from({ length: 5 }, (_, n) => kinesisRecord({ partitionKey: `fine-${n}` }));
    const allInFlight = Promise.withResolvers<void>();
    receiver.respond = (request, index) => {
      if (index === 9) allInFlight.resolve();
      return {
        status: request.body.includes('"partitionKey":"fail-') ? 400 : 200,
        after: allInFlight.promise,
      };
    };
    const shared = { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: 'shared-context' };

    // Act
    const [fine, failed] = await Promise.all([
      store.run(shared, () => handler(kinesisEvent(delivered), lambdaContext())),
      store.run(shared, () => handler(kinesisEvent(failing), lambdaContext())),
    ]);

    // Assert
    expect(receiver.requests).toHaveLength(10);
    expect(fine.batchItemFailures).toEqual([]);
    expect(failed.batchItemFailures).toEqual(
      failing.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
    );
  });
});
