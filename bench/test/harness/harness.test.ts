import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { UNLIMITED_RETRIES } from '../../../test/helpers/event-source-simulation';
import { buildHandlerBundle, buildPeerBundle, buildWorkers, type WorkerScripts } from '../../harness/bundle';
import { runWorker } from '../../harness/child-process';
import type { LedgerCase, LedgerJob, VariantJob } from '../../harness/jobs';
import {
  measureLoad,
  measureVariant,
  type ReceiverProcess,
  readProfile,
  startReceiverProcess,
} from '../../harness/measure';
import { deployedLoadSettings } from '../../harness/plan';
import { buildBatches } from '../../harness/workload';
import type { VariantName } from '../../variants/variant';

const ROOT = resolve(__dirname, '..', '..', '..');

jest.setTimeout(120_000);

// The whole harness: worker bundles, a receiver process and a variant process per run, as `npm run bench` uses them.
describe('the bench harness', () => {
  let tmp: string;
  let scripts: WorkerScripts;
  let bundlePath: string;
  let peerBundlePath: string;
  let receiver: ReceiverProcess;
  let eventsFile: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(os.tmpdir(), 'bench-harness-test-'));
    scripts = await buildWorkers(tmp);
    bundlePath = join(tmp, 'dist', 'handler.js');
    await buildHandlerBundle(ROOT, bundlePath);
    peerBundlePath = (await buildPeerBundle(tmp)).path;
    eventsFile = join(tmp, 'events.ndjson');
    writeFileSync(
      eventsFile,
      buildBatches({ batches: 5, recordsPerBatch: 50, partitionKeys: 10, payloadBytes: 200 }).join('\n'),
    );
    receiver = await startReceiverProcess(scripts, 1);
  });
  afterAll(async () => {
    await receiver.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const job = (variant: VariantName, overrides: Partial<VariantJob> = {}) => ({
    variant,
    bundlePath: variant === 'peer' ? peerBundlePath : bundlePath,
    concurrency: 10,
    eventsFile,
    warmupEvents: 1,
    measuredEvents: 2,
    sampleMemory: false,
    profileFile: undefined,
    ...overrides,
  });

  it.each(['this-function', 'one-at-a-time', 'floor', 'peer', 'batched'] as const)(
    'measures %s in its own process: every record delivered, CPU and time counted',
    async (variant) => {
      const measured = await measureVariant(scripts, receiver, job(variant));

      expect(measured).toMatchObject({ warmupRecords: 50, records: 100, delivered: 100 });
      expect(measured.wallMs).toBeGreaterThan(0);
      expect(measured.cpuUs).toBeGreaterThan(0);
      expect(measured.peakRssBytes).toBeGreaterThan(0);
    },
  );

  it('sends the records of the batch mode as JSON arrays, several a request', async () => {
    const measured = await measureVariant(scripts, receiver, job('batched'));

    // 50 records a batch over 10 keys: far fewer requests than records, every record counted by the receiver.
    expect(measured.receiver.requests).toBeLessThan(measured.records / 5);
  });

  it('measures the same process again after the batches before the warm run', async () => {
    const measured = await measureVariant(
      scripts,
      receiver,
      job('this-function', { measuredEvents: 1, warm: { afterEvents: 3, events: 2 } }),
    );

    expect(measured).toMatchObject({ warmupRecords: 50, records: 50, unmeasuredRecords: 50 });
    expect(measured.warm).toMatchObject({ records: 100, delivered: 100 });
    expect(measured.warm?.cpuUs).toBeGreaterThan(0);
  });

  it('runs tracing on as deployed: segments reach the daemon stand-in when sampled, none when not', async () => {
    const sampled = await measureVariant(scripts, receiver, job('traced-sampled'));
    const unsampled = await measureVariant(scripts, receiver, job('traced-unsampled'));
    const off = await measureVariant(scripts, receiver, job('this-function'));

    // A subsegment per request and one per invocation, sent one by one (some may be lost: UDP).
    expect(sampled.receiver.segments).toBeGreaterThan(sampled.records / 2);
    expect(unsampled.receiver.segments).toBe(0);
    expect(off.receiver.segments).toBe(0);
  });

  it('traces only the handler, sampled, when Powertools is told not to capture the requests', async () => {
    const handlerOnly = await measureVariant(scripts, receiver, job('traced-handler-only'));

    // The invocations' segments arrive; none of the 50 requests has its own.
    expect(handlerOnly.receiver.segments).toBeGreaterThan(0);
    expect(handlerOnly.receiver.segments).toBeLessThan(handlerOnly.records / 2);
  });

  it('sends again what a receiver of limited capacity refused, as Lambda would, and counts the refusals', async () => {
    const limited = await startReceiverProcess(scripts, 5, 2);
    try {
      const measured = await measureVariant(
        scripts,
        limited,
        job('this-function', { measuredEvents: 1, retry: UNLIMITED_RETRIES }),
        { FORWARD_ORDERING: 'none', FORWARD_CONCURRENCY: '8', FORWARD_ADAPTIVE_CONCURRENCY: 'false' },
      );

      expect(measured).toMatchObject({ records: 50, delivered: 50 });
      expect(measured.receiver.refused).toBeGreaterThan(0);
      expect(measured.receiver.requests - measured.receiver.refused).toBeGreaterThanOrEqual(50);
    } finally {
      await limited.stop();
    }
  });

  it('writes a CPU profile of the measured part when asked', async () => {
    const profileFile = join(tmp, 'floor.cpuprofile');

    await measureVariant(scripts, receiver, job('floor', { profileFile }));

    const shares = readProfile(profileFile, 'self');
    expect(shares.length).toBeGreaterThan(0);
    expect(shares.reduce((sum, share) => sum + share.share, 0)).toBeCloseTo(1);
  });

  it('fails a run whose records reach the receiver out of order for their key', async () => {
    const [text = ''] = buildBatches({ batches: 1, recordsPerBatch: 4, partitionKeys: 1, payloadBytes: 10 });
    const event = JSON.parse(text) as KinesisStreamEvent;
    const reversed = JSON.stringify({ Records: [...event.Records].reverse() });
    const file = join(tmp, 'reversed.ndjson');
    writeFileSync(file, `${text}\n${reversed}`);

    // One at a time sends in batch order, so the reversed batch arrives out of order.
    await expect(
      measureVariant(scripts, receiver, job('one-at-a-time', { eventsFile: file, measuredEvents: 1 })),
    ).rejects.toThrow('out of order per key');
  });

  it('times require() of a bundle in a fresh process, also with the deployed settings', async () => {
    const plain = await measureLoad(scripts, bundlePath);
    const deployed = await measureLoad(scripts, bundlePath, undefined, deployedLoadSettings(bundlePath));

    expect(plain.requireMs).toBeGreaterThan(0);
    expect(deployed.requireMs).toBeGreaterThan(0);
  });

  it('runs a case of the fault-injection scenario on the bundle and counts its duplicates', async () => {
    const ledgerJob: LedgerJob = {
      bundlePath,
      ordering: 'partition-key',
      ledger: 'off',
      seed: 'default',
      records: 300,
    };

    const { type: _, ...result } = await runWorker(scripts.ledger, [JSON.stringify(ledgerJob)], {
      timeoutMs: 100_000,
    });

    const ledgerCase = result as unknown as LedgerCase;
    expect(ledgerCase).toMatchObject({ ordering: 'partition-key', ledger: 'off', records: 300, lost: 0 });
    expect(ledgerCase.outOfOrder).toBe(0);
    expect(ledgerCase.accepted).toBe(300 + ledgerCase.duplicates);
    // Faults were injected: some requests failed and were sent again.
    expect(ledgerCase.requests).toBeGreaterThan(ledgerCase.accepted);
  });
});
