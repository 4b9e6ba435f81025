import type { Share } from '../harness/package-of';
import type { VariantName } from '../variants/variant';
import { ledgerFinding, loadControlFinding, warmFinding } from './findings';
import { formatBytes, formatMicrosAsMs, formatNumber } from './format';
import type { BenchResults, ThroughputCell } from './results';
import { RATE_LATENCY_MS, TARGET_LATENCY_MS, type TargetResult } from './targets';

/** The first `count` shares as "name 41% (amount)", or what to do when there is no profile. */
export const topShares = (
  shares: readonly Share[] | undefined,
  count: number,
  amount: (share: Share) => string,
): string =>
  shares === undefined || shares.length === 0
    ? '(no profile: run without --no-profile to see it)'
    : shares
        .slice(0, count)
        .map((share) => `${share.name} ${(share.share * 100).toFixed(0)}% (${amount(share)})`)
        .join(', ');

/** A share of CPU time (microseconds) in milliseconds. */
export const shareMs = (share: Share) => formatMicrosAsMs(share.amount);
const bytes = (share: Share) => formatBytes(share.amount);

const cell = (
  results: BenchResults,
  variant: VariantName,
  latencyMs = TARGET_LATENCY_MS,
): ThroughputCell | undefined =>
  results.throughput.find((c) => c.latencyMs === latencyMs && c.variant === variant);

/**
 * What sets this function's pace at the targets' latency: its CPU per record and how busy its process was, against
 * the floor's, and whether a round of requests in flight costs more CPU than the receiver's latency.
 */
export const whatSetsThePace = (results: BenchResults): string => {
  const fn = cell(results, 'this-function');
  const floor = cell(results, 'floor');
  if (!fn || !floor) return '';
  const { concurrency } = results.workload;
  const roundMs = (fn.cpuUsPerRecord.median * concurrency) / 1000;
  const floorRoundMs = (floor.cpuUsPerRecord.median * concurrency) / 1000;
  return (
    `This function used ${formatNumber(fn.cpuUsPerRecord.median)} µs of CPU per record against the floor's ` +
    `${formatNumber(floor.cpuUsPerRecord.median)} µs, and its process was on the CPU ` +
    `${Math.round(fn.cpuBusy.median * 100)}% of the run (the floor's ${Math.round(floor.cpuBusy.median * 100)}%). ` +
    `Handling a round of ${concurrency} requests in flight costs it about ${formatNumber(roundMs)} ms of CPU ` +
    `(the floor ${formatNumber(floorRoundMs)} ms) ` +
    (roundMs >= TARGET_LATENCY_MS
      ? `against the ${TARGET_LATENCY_MS} ms the receiver takes to answer, so its one thread, not the receiver, ` +
        'sets the pace.'
      : `within the ${TARGET_LATENCY_MS} ms the receiver takes to answer, so answers wait for the thread and ` +
        'fewer requests are in flight than the cap allows.')
  );
};

/**
 * Why a target was missed, from this run's own numbers and profiles: what bounds the throughput, where the CPU
 * time goes, what the bundle is made of. Empty for a target that was met.
 */
export const explainMiss = (target: TargetResult, results: BenchResults): string => {
  if (target.status !== 'MISS') return '';
  const { profiles } = results;
  switch (target.id) {
    case 'time-vs-floor':
      return `${whatSetsThePace(results)} Where its CPU time went (self time): ${topShares(profiles?.thisFunction, 5, shareMs)}.`;
    case 'speedup-vs-one-at-a-time': {
      const serial = cell(results, 'one-at-a-time');
      const floor = cell(results, 'floor');
      if (!serial || !floor) return '';
      const perRecordMs = 1000 / serial.recordsPerSecond.median;
      return (
        `One at a time is bound by the round trip: ${formatNumber(serial.recordsPerSecond.median)} records/s is ` +
        `one record every ${formatNumber(perRecordMs)} ms. The floor, with the same ordering and ` +
        `${results.workload.concurrency} requests in flight, reached ` +
        `${formatNumber(floor.recordsPerSecond.median / serial.recordsPerSecond.median)}x. This function reached ` +
        `${formatNumber(target.measured ?? 0)}x because it cannot keep up with the floor: ${whatSetsThePace(results)}`
      );
    }
    case 'cpu-vs-floor':
      return (
        `CPU self time of this function: ${topShares(profiles?.thisFunction, 6, shareMs)}. ` +
        `The floor's: ${topShares(profiles?.floor, 4, shareMs)}.`
      );
    case 'bundle-size':
      return `The largest parts of dist/handler.js: ${topShares(results.bundle.packages, 6, bytes)}.`;
    case 'load-time': {
      const { load } = results;
      const settings = load.deployed
        ? `With the deployed settings (source maps on, tracing on) it took ${formatNumber(load.deployed.overEmptyMs)} ms ` +
          `over the empty handler, without them ${formatNumber(load.overEmptyMs)} ms. `
        : '';
      return (
        `${settings}Loading dist/handler.js spends its time on behalf of: ${topShares(profiles?.load, 5, shareMs)}. ` +
        `The largest parts of the bundle: ${topShares(results.bundle.packages, 5, bytes)}.`
      );
    }
    case 'rate-vs-floor': {
      const fn = cell(results, 'this-function', RATE_LATENCY_MS);
      const floor = cell(results, 'floor', RATE_LATENCY_MS);
      if (!fn || !floor) return '';
      return (
        `At ${RATE_LATENCY_MS} ms the receiver answers at once, so the rate is the forwarder's own work: this function ` +
        `used ${formatNumber(fn.cpuUsPerRecord.median)} µs of CPU per record against the floor's ` +
        `${formatNumber(floor.cpuUsPerRecord.median)} µs, its process on the CPU ` +
        `${Math.round(fn.cpuBusy.median * 100)}% of the run.`
      );
    }
    case 'warm-cpu-vs-floor':
      return `${warmFinding(results)} Where its CPU time went over the standard workload (self time): ${topShares(profiles?.thisFunction, 5, shareMs)}.`;
    case 'tracing-cost':
      return '';
    case 'adaptive-vs-static':
    case 'adaptive-refused':
    case 'adaptive-without-limit': {
      const invocations = (results.loadControl?.cells ?? [])
        .map((c) => `${c.mode} ${c.concurrency} ${c.runs[0]?.invocations ?? 0}`)
        .join(', ');
      return (
        `${loadControlFinding(results)} Invocations per run (a record that fails its attempts is sent again by ` +
        `Lambda's mapping, so more invocations mean more failed records): ${invocations}.`
      );
    }
    case 'ledger-duplicates':
    case 'ledger-lost-or-out-of-order':
      return ledgerFinding(results);
  }
};
