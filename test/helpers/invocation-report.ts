import type { InvocationReport } from '../../src/services/observability/invocation-report';

/** An invocation's report of 150 records, none delivered yet, with what a test sets on top. */
export const invocationReport = (overrides: Partial<InvocationReport> = {}): InvocationReport => ({
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  received: 150,
  delivered: 0,
  failed: 0,
  heldBack: 0,
  skipped: 0,
  retries: 0,
  suppressed: 0,
  concurrencyLimit: 8,
  causes: [],
  ...overrides,
});
