import { classifyKinesisError } from '../../src/hosts/kinesis/errors';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...extra });

describe('classifyKinesisError', () => {
  it.each([
    [named('ProvisionedThroughputExceededException'), 'throttled'],
    [named('LimitExceededException'), 'throttled'],
    [named('KMSThrottlingException'), 'throttled'],
    [named('ExpiredIteratorException'), 'expired-iterator'],
    [named('Error', { code: 'ECONNREFUSED' }), 'transient'],
    [new Error('AWS SDK error wrapper for Error: connect ECONNRESET 127.0.0.1:4567'), 'transient'],
    [named('InternalFailure', { $metadata: { httpStatusCode: 500 } }), 'transient'],
    [named('SomethingNew', { $metadata: { httpStatusCode: 503 } }), 'transient'],
    [named('AbortError'), 'aborted'],
    [named('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }), 'fatal'],
    [named('InvalidArgumentException'), 'fatal'],
    ['a string', 'fatal'],
  ])('sorts %p as %s', (error, kind) => {
    expect(classifyKinesisError(error)).toBe(kind);
  });

  it('calls anything aborted once the poller stops', () => {
    const controller = new AbortController();
    controller.abort();

    expect(classifyKinesisError(named('InvalidArgumentException'), controller.signal)).toBe('aborted');
  });
});
