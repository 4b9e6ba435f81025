import { PollerStats } from '../../src/hosts/local/console/poller-stats';
import { formatStatus } from '../../src/hosts/local/console/status-line';

describe('formatStatus', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('shows delivered, retried, held back, discarded and suppressed, the concurrency in force, and how far behind each shard is', () => {
    const stats = new PollerStats();
    Object.assign(stats, { delivered: 120, retried: 8, discarded: 1, suppressed: 30, concurrencyLimit: 12 });
    Object.assign(stats.shard('shardId-000000000000'), { phase: 'reading', millisBehind: 0 });
    Object.assign(stats.shard('shardId-000000000002'), { phase: 'finished' });
    stats.shard('shardId-000000000003');
    Object.assign(stats.shard('custom'), { phase: 'reading', millisBehind: 600_000 });

    expect(formatStatus(stats, now)).toBe(
      '[status] delivered 120, retried 8, held back 0, discarded 1, duplicates suppressed 30 | concurrency 12 | behind: custom 10min, 0 0ms, 2 done, 3 waiting for parent',
    );
  });

  it('shows a shard stuck on a retried batch behind by its oldest record, not by the tip of the stream', () => {
    // Arrange: the last read saw the tip (0 ms behind), but a batch whose first record arrived 95 s ago has been
    // failing for 40 s; 3 of its 4 records wait behind the failed one.
    const stats = new PollerStats();
    Object.assign(stats.shard('shardId-000000000001'), {
      phase: 'reading',
      millisBehind: 0,
      retrying: { records: 4, heldBack: 3, oldestArrivalMs: now - 95_000, since: now - 40_000 },
    });
    Object.assign(stats.shard('shardId-000000000002'), {
      phase: 'reading',
      millisBehind: 0,
      retrying: { records: 1, heldBack: 0, oldestArrivalMs: now - 500, since: now - 200 },
    });

    // Act
    const line = formatStatus(stats, now);

    // Assert
    expect(line).toBe(
      '[status] delivered 0, retried 0, held back 3, discarded 0, duplicates suppressed 0 | behind: 1 95.0s (retrying 4 records for 40.0s), 2 500ms (retrying 1 record for 200ms)',
    );
  });

  it('counts held back records only while their batch is retried', () => {
    const stats = new PollerStats();
    const shard = stats.shard('shardId-000000000000');
    shard.retrying = { records: 5, heldBack: 4, oldestArrivalMs: now, since: now };
    stats.shard('shardId-000000000001').retrying = {
      records: 2,
      heldBack: 1,
      oldestArrivalMs: now,
      since: now,
    };
    expect(stats.heldBack).toBe(5);

    shard.retrying = undefined;

    expect(stats.heldBack).toBe(1);
  });
});
