import {
  type LoopbackReceiver,
  type ReceivedRequest,
  type Reply,
  startLoopbackReceiver,
} from '../../src/hosts/loopback-receiver';

export type { ReceivedRequest, Reply };

export type Responder = (request: ReceivedRequest, index: number) => Reply;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test says. */
export interface TestReceiver extends LoopbackReceiver {
  readonly requests: ReceivedRequest[];
  /** How the next requests are answered; a test may change it at any time. */
  respond: Responder;
}

export const startReceiver = async (respond: Responder = () => ({ status: 200 })): Promise<TestReceiver> => {
  const requests: ReceivedRequest[] = [];
  const receiver = { requests, respond };
  const loopback = await startLoopbackReceiver((request) => {
    requests.push(request);
    return receiver.respond(request, requests.length - 1);
  });
  return Object.assign(receiver, loopback);
};

/**
 * A receiver started before each test of the enclosing `describe` and closed after it. The object returned stands for
 * the current test's receiver (reads and writes go through to it), so tests use it as they would `startReceiver`'s.
 */
export const useReceiver = (respond?: Responder): TestReceiver => {
  let current: TestReceiver | undefined;
  beforeEach(async () => {
    current = await startReceiver(respond);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const active = (): TestReceiver => {
    if (current === undefined) throw new Error('the receiver runs only inside a test');
    return current;
  };
  return new Proxy({} as TestReceiver, {
    get: (_target, property) => Reflect.get(active(), property),
    set: (_target, property, value) => Reflect.set(active(), property, value),
  });
};
