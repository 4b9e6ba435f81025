import type { PollerStats, ShardProgress } from './poller-stats';

// "shardId-000000000003" reads better as "3"; other ids stay as they are.
const shortId = (shardId: string) => shardId.match(/^shardId-0*(\d+)$/)?.[1] ?? shardId;

/** A duration for a person: milliseconds below a second, seconds below two minutes, then minutes. */
export const duration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 60_000)}min`;
};

const records = (count: number) => `${count} record${count === 1 ? '' : 's'}`;

const shardPart = (shardId: string, progress: ShardProgress, now: number): string => {
  const id = shortId(shardId);
  if (progress.phase === 'finished') return `${id} done`;
  if (progress.phase === 'waiting') return `${id} waiting for parent`;
  const { retrying } = progress;
  if (retrying === undefined) {
    return `${id} ${progress.millisBehind === undefined ? '?' : duration(progress.millisBehind)}`;
  }
  // Stuck on a batch: behind by the age of its oldest record, not by what the last read said of the tip.
  const behind = duration(Math.max(0, now - retrying.oldestArrivalMs));
  return `${id} ${behind} (retrying ${records(retrying.records)} for ${duration(Math.max(0, now - retrying.since))})`;
};

/**
 * One status line: records delivered, retried, held back right now, discarded and not sent again as duplicates, the
 * function's concurrency limit in force, then each shard and how far behind it is: the tip of the stream as the last
 * read saw it, or the age of the oldest record of a batch it retries.
 */
export const formatStatus = (stats: PollerStats, now = Date.now()): string => {
  const shards = [...stats.shards]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shardId, progress]) => shardPart(shardId, progress, now))
    .join(', ');
  const counts =
    `delivered ${stats.delivered}, retried ${stats.retried}, held back ${stats.heldBack}, ` +
    `discarded ${stats.discarded}, duplicates suppressed ${stats.suppressed}`;
  const concurrency = stats.concurrencyLimit === undefined ? '' : ` | concurrency ${stats.concurrencyLimit}`;
  return `[status] ${counts}${concurrency} | behind: ${shards || 'no shards yet'}`;
};
