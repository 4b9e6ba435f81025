import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BatchSummary } from '../delivery/batch-delivery';
import { invocationReport, publishInvocationReport } from './invocation-report';

/**
 * Writes a warning per cause of failure (its reason, attempts, how many records and the first event IDs), the
 * invocation's summary line and its metrics, and publishes the report of invocation `awsRequestId` to a host
 * listening in this process.
 */
export const reportBatch = (
  summary: BatchSummary,
  awsRequestId: string,
  logger: Logger,
  metrics: Metrics,
): void => {
  const { failures, latenciesMs, ledgerProblem, responseCorrected, ...totals } = summary;
  const report = invocationReport(summary, awsRequestId);
  if (responseCorrected) {
    logger.error(
      'batch processor response did not name the records not delivered; answered with them instead',
      {
        notDelivered: totals.failed + totals.heldBack + totals.skipped,
      },
    );
  }
  for (const cause of report.causes) logger.warn('records not delivered', { ...cause });
  // Once per invocation: delivery went on without the ledger, so nothing is lost, but duplicates may follow.
  if (ledgerProblem !== undefined) logger.warn('delivery ledger unavailable', { problem: ledgerProblem });
  logger.info('batch forwarded', {
    ...totals,
    notDelivered: totals.failed + totals.heldBack + totals.skipped,
  });
  publishInvocationReport(report);

  // Latencies first: Powertools flushes every 100 values, and the counts must be left for the final flush.
  for (const latency of latenciesMs) metrics.addMetric('ForwardLatency', MetricUnit.Milliseconds, latency);
  metrics.addMetric('RecordsReceived', MetricUnit.Count, totals.received);
  metrics.addMetric('RecordsForwarded', MetricUnit.Count, totals.delivered);
  metrics.addMetric('RecordsFailed', MetricUnit.Count, totals.failed);
  metrics.addMetric('RecordsHeldBack', MetricUnit.Count, totals.heldBack + totals.skipped);
  metrics.addMetric('Retries', MetricUnit.Count, totals.retries);
  if (totals.circuitOpen) metrics.addMetric('CircuitOpened', MetricUnit.Count, 1);
  metrics.addMetric('Requests', MetricUnit.Count, totals.requests);
  metrics.addMetric('RequestsRefused', MetricUnit.Count, totals.refused);
  metrics.addMetric('RecordsSuppressed', MetricUnit.Count, totals.suppressed);
  metrics.addMetric('ConcurrencyLimit', MetricUnit.Count, totals.concurrencyLimit);
  metrics.addMetric('RetryAfterPaused', MetricUnit.Milliseconds, totals.pausedMs);
  if (ledgerProblem !== undefined) metrics.addMetric('LedgerErrors', MetricUnit.Count, 1);
};

/** Logs an error that fails the whole invocation (Lambda retries the batch) and counts it. */
export const reportInvocationError = (error: unknown, logger: Logger, metrics: Metrics): void => {
  logger.error('invocation failed', error as Error);
  metrics.addMetric('InvocationErrors', MetricUnit.Count, 1);
};
