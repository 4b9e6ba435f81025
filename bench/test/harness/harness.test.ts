import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { buildHandlerBundle, buildWorkers, type WorkerScripts } from '../../harness/bundle';
import type { VariantJob } from '../../harness/jobs';
import {
  measureLoad,
  measureVariant,
  type ReceiverProcess,
  readProfile,
  startReceiverProcess,
} from '../../harness/measure';
import { buildBatches } from '../../harness/workload';
import type { VariantName } from '../../variants/variant';

const ROOT = resolve(__dirname, '..', '..', '..');

jest.setTimeout(120_000);

// The whole harness: worker bundles, a receiver process and a variant process per run, as `npm run bench` uses them.
describe('the bench harness', () => {
  let tmp: string;
  let scripts: WorkerScripts;
  let bundlePath: string;
  let receiver: ReceiverProcess;
  let eventsFile: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(os.tmpdir(), 'bench-harness-test-'));
    scripts = await buildWorkers(tmp);
    bundlePath = join(tmp, 'dist', 'handler.js');
    await buildHandlerBundle(ROOT, bundlePath);
    eventsFile = join(tmp, 'events.ndjson');
    writeFileSync(
      eventsFile,
      buildBatches({ batches: 3, recordsPerBatch: 50, partitionKeys: 10, payloadBytes: 200 }).join('\n'),
    );
    receiver = await startReceiverProcess(scripts, 1);
  });
  afterAll(async () => {
    await receiver.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const job = (variant: VariantName, overrides: Partial<VariantJob> = {}) => ({
    variant,
    bundlePath,
    concurrency: 10,
    eventsFile,
    warmupEvents: 1,
    measuredEvents: 2,
    sampleMemory: false,
    profileFile: undefined,
    ...overrides,
  });

  it.each(['this-function', 'one-at-a-time', 'floor'] as const)(
    'measures %s in its own process: every record delivered, CPU and time counted',
    async (variant) => {
      const measured = await measureVariant(scripts, receiver, job(variant));

      expect(measured).toMatchObject({ warmupRecords: 50, records: 100, delivered: 100 });
      expect(measured.wallMs).toBeGreaterThan(0);
      expect(measured.cpuUs).toBeGreaterThan(0);
      expect(measured.peakRssBytes).toBeGreaterThan(0);
    },
  );

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

  it('times require() of a bundle in a fresh process', async () => {
    const { requireMs } = await measureLoad(scripts, bundlePath);

    expect(requireMs).toBeGreaterThan(0);
  });
});
