import { captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

type Emf = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> };
};

/** How many values of a metric were published (a single value is written as a number, several as an array). */
const countValues = (lines: Emf[], name: string): number =>
  lines.reduce((total, line) => {
    const value = line[name];
    if (value === undefined) return total;
    return total + (Array.isArray(value) ? value.length : 1);
  }, 0);

const emfLines = (lines: Record<string, unknown>[]) => lines.filter((line): line is Emf => '_aws' in line);

const sum = (lines: Emf[], name: string): number =>
  lines.reduce((total, line) => {
    const value = line[name];
    if (value === undefined) return total;
    return total + (Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : Number(value));
  }, 0);

describe('metrics (CloudWatch Embedded Metric Format)', () => {
  const receiver = useReceiver();

  it('counts records received, forwarded, failed and retried, and a latency per delivered record', async () => {
    // Arrange: key a fails finally on its first record (so a2 is held back); key b succeeds after one retry.
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_METRICS_NAMESPACE: 'ForwarderTest',
      FORWARD_BACKOFF_BASE_MS: '1',
    });
    const records = [
      kinesisRecord({ partitionKey: 'a', payload: 'a1' }),
      kinesisRecord({ partitionKey: 'a', payload: 'a2' }),
      kinesisRecord({ partitionKey: 'b', payload: 'b1' }),
    ];
    let bFailures = 0;
    receiver.respond = (request) => {
      if (request.body.includes(records[0]?.kinesis.data ?? '')) return { status: 422 };
      if (bFailures === 0) {
        bFailures += 1;
        return { status: 503 };
      }
      return { status: 200 };
    };
    // Act
    const output = await captureOutputOf(() => handler(kinesisEvent(records), lambdaContext()));

    // Assert
    const lines = emfLines(output.lines());
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe('ForwarderTest');
    expect(sum(lines, 'RecordsReceived')).toBe(3);
    expect(sum(lines, 'RecordsForwarded')).toBe(1);
    expect(sum(lines, 'RecordsFailed')).toBe(1);
    expect(sum(lines, 'RecordsHeldBack')).toBe(1);
    expect(sum(lines, 'Retries')).toBe(1);
    expect(countValues(lines, 'ForwardLatency')).toBe(1);
  });

  it('keeps every count when a large batch flushes latencies early', async () => {
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      POWERTOOLS_METRICS_DISABLED: 'false',
      FORWARD_ORDERING: 'none',
    });
    const records = Array.from({ length: 150 }, (_, index) => kinesisRecord({ partitionKey: `k${index}` }));
    const output = await captureOutputOf(() => handler(kinesisEvent(records), lambdaContext()));

    const lines = emfLines(output.lines());
    expect(countValues(lines, 'ForwardLatency')).toBe(150);
    expect(sum(lines, 'RecordsForwarded')).toBe(150);
    expect(output.text()).not.toContain('No application metrics to publish');
  });
});
