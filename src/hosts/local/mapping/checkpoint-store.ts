import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isObject } from '../../../lib/guards';
import type { StartingPosition } from '../config';

/** Progress of one shard. */
export interface ShardCheckpoint {
  /** Last record done (delivered or discarded); reading resumes after it. */
  readonly sequenceNumber?: string;
  /** Where to start while no record is done yet. */
  readonly start?: StartingPosition;
  /** A closed shard read to its end (or skipped); its children may start. */
  readonly finished?: boolean;
}

/** The stream the checkpoints belong to: a deleted and re-created stream gets a new creation time. */
export interface StreamIdentity {
  readonly streamName: string;
  readonly streamArn: string;
  /** ISO date, when the endpoint reports one. */
  readonly createdAt: string | undefined;
}

interface CheckpointFile extends StreamIdentity {
  readonly version: 1;
  readonly updatedAt: string;
  readonly shards: Record<string, ShardCheckpoint>;
}

/** Why stored checkpoints were set aside, if they were. */
export type OpenNote =
  | { kind: 'new' }
  | { kind: 'resumed' }
  | { kind: 'other-stream'; stored: StreamIdentity };

const parseFile = (path: string, text: string): CheckpointFile => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Checkpoint file ${path} is not valid JSON (${(error as Error).message}); fix or delete it to start over`,
    );
  }
  if (!isObject(data) || data.version !== 1 || !isObject(data.shards) || typeof data.streamArn !== 'string') {
    throw new Error(
      `Checkpoint file ${path} is not a version 1 checkpoint file; fix or delete it to start over`,
    );
  }
  return data as unknown as CheckpointFile;
};

const sameStream = (a: StreamIdentity, b: StreamIdentity) =>
  a.streamArn === b.streamArn &&
  (a.createdAt === undefined || b.createdAt === undefined || a.createdAt === b.createdAt);

/**
 * The checkpoints of one stream's shards, kept in a JSON file that is replaced atomically (written to a
 * temporary file, then renamed over it), so a crash never leaves half a file.
 */
export class CheckpointStore {
  readonly #path: string;
  readonly #stream: StreamIdentity;
  readonly #shards: Map<string, ShardCheckpoint>;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, stream: StreamIdentity, shards: Record<string, ShardCheckpoint>) {
    this.#path = path;
    this.#stream = stream;
    this.#shards = new Map(Object.entries(shards));
  }

  /**
   * Loads the checkpoints of `stream` from `path`. A file of another stream (or of an earlier stream of the same
   * name) is not used: `note` says so, and the next save replaces it.
   *
   * @throws when the file exists but cannot be read as a checkpoint file.
   */
  static async open(
    path: string,
    stream: StreamIdentity,
  ): Promise<{ store: CheckpointStore; note: OpenNote }> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { store: new CheckpointStore(path, stream, {}), note: { kind: 'new' } };
    }
    const stored = parseFile(path, text);
    if (!sameStream(stored, stream)) {
      return { store: new CheckpointStore(path, stream, {}), note: { kind: 'other-stream', stored } };
    }
    return { store: new CheckpointStore(path, stream, stored.shards), note: { kind: 'resumed' } };
  }

  get path(): string {
    return this.#path;
  }

  get(shardId: string): ShardCheckpoint | undefined {
    return this.#shards.get(shardId);
  }

  /** Every shard's checkpoint, by shard id. */
  all(): ReadonlyMap<string, ShardCheckpoint> {
    return this.#shards;
  }

  /** True while no shard has a checkpoint: the first run against this stream. */
  get empty(): boolean {
    return this.#shards.size === 0;
  }

  /** Changes a shard's checkpoint in memory; {@link save} writes it. */
  set(shardId: string, checkpoint: ShardCheckpoint): void {
    this.#shards.set(shardId, checkpoint);
  }

  /** Writes the current checkpoints; saves run one after another, each writing the state of its time. */
  save(): Promise<void> {
    const next = this.#writing.then(() => this.#write());
    // A failed write fails this save's caller; it must not poison the saves after it.
    this.#writing = next.catch(() => {});
    return next;
  }

  async #write(): Promise<void> {
    const file: CheckpointFile = {
      version: 1,
      ...this.#stream,
      updatedAt: new Date().toISOString(),
      shards: Object.fromEntries([...this.#shards].sort(([a], [b]) => a.localeCompare(b))),
    };
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await mkdir(dirname(this.#path), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
    await rename(temporary, this.#path);
  }
}
