import { describeEvent } from '../../src/hosts/local/console/event-printer';
import { PollerStats } from '../../src/hosts/local/console/poller-stats';
import { formatStatus } from '../../src/hosts/local/console/status-line';

describe('formatStatus', () => {
  it('shows the counters and how far behind each shard is', () => {
    const stats = new PollerStats();
    stats.forwarded = 120;
    stats.failed = 3;
    stats.discarded = 1;
    Object.assign(stats.shard('shardId-000000000001'), { phase: 'retrying', millisBehind: 2500 });
    Object.assign(stats.shard('shardId-000000000000'), { phase: 'reading', millisBehind: 0 });
    Object.assign(stats.shard('shardId-000000000002'), { phase: 'finished' });
    stats.shard('shardId-000000000003');
    Object.assign(stats.shard('custom'), { phase: 'reading', millisBehind: 600_000 });

    expect(formatStatus(stats)).toBe(
      '[status] forwarded 120, failed 3, discarded 1 | behind: custom 10min, 0 0ms, 1 2.5s retrying, 2 done, 3 waiting for parent',
    );
  });
});

describe('describeEvent', () => {
  const body = (data: Buffer) =>
    JSON.stringify({ partitionKey: 'user-7', sequenceNumber: '1', data: data.toString('base64') });

  it('prints shard, key and the decoded payload', () => {
    expect(describeEvent(body(Buffer.from('{"hello":"world"}')), 'shardId-000000000002:1')).toBe(
      '[receiver] shardId-000000000002 key=user-7: {"hello":"world"}',
    );
  });

  it('shows binary payloads as base64', () => {
    expect(describeEvent(body(Buffer.from([0xf3, 0x89, 0x9a, 0xc2])), 's:1')).toBe(
      '[receiver] s key=user-7: (binary, base64) 84mawg==',
    );
  });
});
