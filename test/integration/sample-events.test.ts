import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';

const EVENTS = join(__dirname, '..', '..', 'events');
const readEvent = (name: string) =>
  JSON.parse(readFileSync(join(EVENTS, name), 'utf8')) as KinesisStreamEvent;
const kinesisEvents = readdirSync(EVENTS).filter(
  (name) => name.endsWith('.json') && !/^(env|not-)/.test(name),
);

describe('the sample events', () => {
  const receiver = useReceiver(() => ({ status: 200 }));

  it('include one record, several partition keys and a tumbling window', () => {
    expect(kinesisEvents).toEqual(
      expect.arrayContaining(['single-record.json', 'several-partition-keys.json', 'tumbling-window.json']),
    );
    expect(readEvent('single-record.json').Records).toHaveLength(1);
    const keys = new Set(readEvent('several-partition-keys.json').Records.map((r) => r.kinesis.partitionKey));
    expect(keys.size).toBeGreaterThan(1);
  });

  it.each(kinesisEvents)('%s is forwarded completely, each body its record as delivered', async (name) => {
    const event = readEvent(name);
    const handler = loadHandler({ FORWARD_URL: receiver.url });

    const response = await handler(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as unknown);
    expect(bodies).toHaveLength(event.Records.length);
    expect(bodies).toEqual(expect.arrayContaining(event.Records.map((r) => r.kinesis)));
  });

  it('not-kinesis.json is refused before anything is sent', async () => {
    const handler = loadHandler({ FORWARD_URL: receiver.url });

    await expect(handler(readEvent('not-kinesis.json'), lambdaContext())).rejects.toThrow(
      'Invalid Kinesis stream event',
    );
    expect(receiver.requests).toHaveLength(0);
  });
});
