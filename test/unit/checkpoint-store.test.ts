import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, type StreamIdentity } from '../../src/hosts/local/mapping/checkpoint-store';

const stream: StreamIdentity = {
  streamName: 'events',
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('CheckpointStore', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoints-'));
    path = join(dir, 'nested', 'events.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty without a file, and reads back what it saved', async () => {
    const { store, note } = await CheckpointStore.open(path, stream);
    store.set('shardId-000000000001', { start: 'TRIM_HORIZON', sequenceNumber: '42' });
    store.set('shardId-000000000000', { finished: true });
    await store.save();

    const reopened = await CheckpointStore.open(path, stream);

    expect(note).toEqual({ kind: 'new' });
    expect(reopened.note).toEqual({ kind: 'resumed' });
    expect(Object.fromEntries(reopened.store.all())).toEqual({
      'shardId-000000000000': { finished: true },
      'shardId-000000000001': { start: 'TRIM_HORIZON', sequenceNumber: '42' },
    });
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file).toMatchObject({ version: 1, ...stream });
  });

  it('replaces the file by rename, leaving no temporary file behind', async () => {
    const { store } = await CheckpointStore.open(path, stream);
    const saves = Array.from({ length: 20 }, (_, index) => {
      store.set('s', { sequenceNumber: String(index) });
      return store.save();
    });
    await Promise.all(saves);

    expect(await readdir(join(dir, 'nested'))).toEqual(['events.json']);
    expect(JSON.parse(await readFile(path, 'utf8')).shards).toEqual({ s: { sequenceNumber: '19' } });
  });

  it('sets aside the checkpoints of a re-created stream of the same name', async () => {
    const { store } = await CheckpointStore.open(path, stream);
    store.set('s', { sequenceNumber: '1' });
    await store.save();

    const recreated = { ...stream, createdAt: '2026-02-01T00:00:00.000Z' };
    const { store: fresh, note } = await CheckpointStore.open(path, recreated);

    expect(note).toEqual({ kind: 'other-stream', stored: expect.objectContaining(stream) });
    expect(fresh.empty).toBe(true);
  });

  it('refuses a file it cannot read instead of starting over silently', async () => {
    await writeFile(join(dir, 'bad.json'), '{"version":1,');
    await writeFile(join(dir, 'other.json'), '{"hello":"world"}');

    await expect(CheckpointStore.open(join(dir, 'bad.json'), stream)).rejects.toThrow(
      /bad\.json is not valid JSON .*; fix or delete it to start over/,
    );
    await expect(CheckpointStore.open(join(dir, 'other.json'), stream)).rejects.toThrow(
      'is not a version 1 checkpoint file',
    );
  });
});
