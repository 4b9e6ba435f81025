import type { PollerStats, ShardProgress } from './poller-stats';

// "shardId-000000000003" reads better as "3"; other ids stay as they are.
const shortId = (shardId: string) => shardId.match(/^shardId-0*(\d+)$/)?.[1] ?? shardId;

const behind = (ms: number | undefined): string => {
  if (ms === undefined) return '?';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 60_000)}min`;
};

const shardPart = (shardId: string, progress: ShardProgress): string => {
  switch (progress.phase) {
    case 'finished':
      return `${shortId(shardId)} done`;
    case 'waiting':
      return `${shortId(shardId)} waiting for parent`;
    case 'retrying':
      return `${shortId(shardId)} ${behind(progress.millisBehind)} retrying`;
    case 'reading':
      return `${shortId(shardId)} ${behind(progress.millisBehind)}`;
  }
};

/** One status line: counters, then each shard and how far behind the tip of the stream it is. */
export const formatStatus = (stats: PollerStats): string => {
  const shards = [...stats.shards]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shardId, progress]) => shardPart(shardId, progress))
    .join(', ');
  return `[status] forwarded ${stats.forwarded}, failed ${stats.failed}, discarded ${stats.discarded} | behind: ${shards || 'no shards yet'}`;
};
