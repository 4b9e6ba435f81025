import { failedInvocationLines } from '../../src/hosts/local/console/failure-lines';
import type { InvocationOutcome, NextAction } from '../../src/hosts/local/mapping/event-source-mapping';
import type { InvocationReport } from '../../src/services/observability/invocation-report';
import { invocationReport as report } from '../helpers/invocation-report';
import { kinesisRecord } from '../helpers/records';

const RECEIVER = 'http://127.0.0.1:3000/events';
const SHARD = 'shardId-000000000002';

const returned = (overrides: Partial<InvocationReport>): InvocationOutcome => ({
  kind: 'returned',
  response: {},
  report: report(overrides),
});

const retryOf = (
  records: number,
  retries: number,
  delayMs: number,
): Extract<NextAction, { kind: 'retry' }> => ({
  kind: 'retry',
  checkpoint: undefined,
  done: [],
  batch: { records: Array.from({ length: records }, () => kinesisRecord()), retries },
  delayMs,
  reason: `${records} record(s) reported failed, resuming at sequence number 1`,
});

describe('failedInvocationLines', () => {
  it('says once per cause how many records were not delivered, where to and why, then what is retried', () => {
    // Arrange: a receiver that is down; 150 records of 150 keys all fail the same way.
    const outcome = returned({
      failed: 150,
      causes: [
        {
          reason: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3000 (after 3 attempts)',
          attempts: 3,
          records: 150,
          eventIDs: [],
        },
      ],
    });

    // Act
    const lines = failedInvocationLines(SHARD, RECEIVER, outcome, retryOf(150, 3, 4000));

    // Assert
    expect(lines).toEqual([
      `[local] ${SHARD}: 150 records not delivered to ${RECEIVER}: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3000 (after 3 attempts)`,
      `[local] ${SHARD}: retry 3 of 150 records in 4000 ms`,
    ]);
  });

  it('names records held back or not started, and failures beyond the causes listed', () => {
    const outcome = returned({
      failed: 13,
      heldBack: 80,
      skipped: 7,
      causes: [
        { reason: 'HTTP 503 (after 3 attempts)', attempts: 3, records: 10, eventIDs: [] },
        { reason: 'HTTP 400', attempts: 1, records: 1, eventIDs: [] },
      ],
    });

    const lines = failedInvocationLines(SHARD, RECEIVER, outcome, retryOf(100, 1, 1000));

    expect(lines).toEqual([
      `[local] ${SHARD}: 10 records not delivered to ${RECEIVER}: HTTP 503 (after 3 attempts)`,
      `[local] ${SHARD}: 1 record not delivered to ${RECEIVER}: HTTP 400`,
      `[local] ${SHARD}: 2 records not delivered for other reasons`,
      `[local] ${SHARD}: retry 1 of 100 records in 1000 ms (80 held back behind a failed record, 7 not started)`,
    ]);
  });

  it('says what Lambda saw when the function reported nothing: it threw or timed out', () => {
    const timedOut: InvocationOutcome = { kind: 'timed-out', timeoutMs: 30_000 };
    const action = { ...retryOf(5, 1, 1000), reason: 'function timed out after 30000 ms' };

    expect(failedInvocationLines(SHARD, RECEIVER, timedOut, action)).toEqual([
      `[local] ${SHARD}: function timed out after 30000 ms; retry 1 of 5 records in 1000 ms`,
    ]);
  });

  it('leaves a discard its own line: only the causes are shown', () => {
    const outcome = returned({
      failed: 2,
      causes: [{ reason: 'HTTP 422', attempts: 1, records: 2, eventIDs: [] }],
    });
    const discard: NextAction = {
      kind: 'discard',
      checkpoint: '9',
      done: [],
      discarded: [kinesisRecord(), kinesisRecord()],
      reason: 'retry attempts exhausted (1)',
    };

    expect(failedInvocationLines(SHARD, RECEIVER, outcome, discard)).toEqual([
      `[local] ${SHARD}: 2 records not delivered to ${RECEIVER}: HTTP 422`,
    ]);
  });
});
