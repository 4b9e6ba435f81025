import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  failureCauses,
  INVOCATION_REPORTS,
  type InvocationReport,
  invocationReport,
  publishInvocationReport,
} from '../../src/services/observability/invocation-report';
import { registerSecret } from '../../src/services/observability/redaction';

const failure = (n: number, reason: string, attempts = 3) => ({
  eventID: `shardId-000000000000:${n}`,
  attempts,
  reason,
});

describe('failureCauses', () => {
  it('groups failed records by reason and attempts, the most frequent first, with at most 10 event IDs each', () => {
    const failures = [
      failure(1, 'HTTP 400', 1),
      ...Array.from({ length: 12 }, (_, n) => failure(10 + n, 'ECONNREFUSED (after 3 attempts)')),
      failure(2, 'HTTP 400', 1),
      failure(3, 'HTTP 400', 2),
    ];

    expect(failureCauses(failures)).toEqual([
      {
        reason: 'ECONNREFUSED (after 3 attempts)',
        attempts: 3,
        records: 12,
        eventIDs: Array.from({ length: 10 }, (_, n) => `shardId-000000000000:${10 + n}`),
      },
      {
        reason: 'HTTP 400',
        attempts: 1,
        records: 2,
        eventIDs: ['shardId-000000000000:1', 'shardId-000000000000:2'],
      },
      { reason: 'HTTP 400', attempts: 2, records: 1, eventIDs: ['shardId-000000000000:3'] },
    ]);
  });

  it('keeps at most 10 causes', () => {
    const failures = Array.from({ length: 14 }, (_, n) => failure(n, `HTTP ${500 + n}`));

    expect(failureCauses(failures)).toHaveLength(10);
  });

  it('masks a registered secret in a reason, as the logger would', () => {
    registerSecret('Bearer s3cr3t-token');

    const [cause] = failureCauses([failure(1, 'echoed Bearer s3cr3t-token back')]);

    expect(cause?.reason).toBe('echoed [REDACTED] back');
  });
});

describe('publishInvocationReport', () => {
  it('hands the report to a listener in the same process', () => {
    // Arrange
    const heard: unknown[] = [];
    const listener = (message: unknown) => heard.push(message);
    subscribe(INVOCATION_REPORTS, listener);
    const totals = { received: 3, delivered: 1, failed: 1, heldBack: 1, skipped: 0, retries: 2 };
    const report: InvocationReport = invocationReport(
      {
        ...totals,
        requests: 3,
        suppressed: 0,
        refused: 0,
        concurrencyLimit: 8,
        responseCorrected: false,
        pausedMs: 0,
        ledgerProblem: undefined,
        circuitOpen: false,
        durationMs: 5,
        latenciesMs: [4],
        failures: [failure(1, 'HTTP 503 (after 3 attempts)')],
      },
      'c6af9ac6-7b61-11e6-9a41-93e812345678',
    );

    // Act
    try {
      publishInvocationReport(report);
    } finally {
      unsubscribe(INVOCATION_REPORTS, listener);
    }

    // Assert
    const cause = { reason: 'HTTP 503 (after 3 attempts)', attempts: 3, records: 1 };
    expect(heard).toEqual([
      {
        ...totals,
        awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        suppressed: 0,
        concurrencyLimit: 8,
        causes: [{ ...cause, eventIDs: ['shardId-000000000000:1'] }],
      },
    ]);
  });
});
