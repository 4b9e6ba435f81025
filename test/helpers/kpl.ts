import { createHash } from 'node:crypto';

// Builds KPL aggregates (the KPL's aggregation-format.md) for tests, well-formed or corrupt on purpose.

export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

export const WIRE = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, fixed32: 5 } as const;

/** An unsigned protobuf varint. */
export const varint = (value: number | bigint): Buffer => {
  let rest = BigInt(value);
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Buffer.from(bytes);
};

/** A field's tag: its number and wire type. */
export const fieldTag = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

export const varintField = (field: number, value: number | bigint): Buffer =>
  Buffer.concat([fieldTag(field, WIRE.varint), varint(value)]);

export const bytesField = (field: number, payload: Buffer | string): Buffer => {
  const bytes = Buffer.from(payload);
  return Buffer.concat([fieldTag(field, WIRE.lengthDelimited), varint(bytes.length), bytes]);
};

/** Magic bytes, the protobuf, and the protobuf's MD5: an aggregate whatever the protobuf holds. */
export const seal = (protobuf: Buffer): Buffer =>
  Buffer.concat([KPL_MAGIC, protobuf, createHash('md5').update(protobuf).digest()]);

export interface AggregatedUserRecord {
  partitionKey: string;
  data: Buffer | string;
  explicitHashKey?: string;
  tags?: readonly { key: string; value?: string }[];
}

export interface AggregateOptions {
  /** Flips a bit of the trailing MD5. */
  badDigest?: boolean;
  /** Keeps this many protobuf bytes, sealed with their own correct MD5: only the parser can notice the cut. */
  truncateProtobufTo?: number;
  /** The partition_key_index written for a record, instead of its key's; undefined leaves the field out. */
  partitionKeyIndex?: (record: number, tableIndex: number) => number | bigint | undefined;
  /** The explicit_hash_key_index written for a record that has an explicit hash key. */
  explicitHashKeyIndex?: (record: number, tableIndex: number) => number | bigint;
  /** Records whose data field is left out. */
  withoutData?: readonly number[];
  /** Raw fields appended inside every Record message. */
  extraRecordFields?: Buffer;
  /** Raw fields appended to the AggregatedRecord, after the records. */
  extraAggregateFields?: Buffer;
  /** Writes the records before the key tables: legal protobuf, though not what the KPL writes. */
  recordsFirst?: boolean;
}

// The KPL writes each distinct key once and has records point at it.
const keyTable = () => {
  const indices = new Map<string, number>();
  return {
    indices,
    indexOf: (key: string): number => {
      const known = indices.get(key);
      if (known !== undefined) return known;
      indices.set(key, indices.size);
      return indices.size - 1;
    },
  };
};

const tagMessage = ({ key, value }: { key: string; value?: string }): Buffer =>
  Buffer.concat([bytesField(1, key), value === undefined ? Buffer.alloc(0) : bytesField(2, value)]);

/** A KPL aggregate of `records`, in their order, with shared keys written once; `options` corrupt it. */
export const aggregate = (
  records: readonly AggregatedUserRecord[],
  options: AggregateOptions = {},
): Buffer => {
  const partitionKeys = keyTable();
  const explicitHashKeys = keyTable();
  const recordFields = records.map((record, index) => {
    const pkIndex = partitionKeys.indexOf(record.partitionKey);
    const writtenPkIndex = options.partitionKeyIndex ? options.partitionKeyIndex(index, pkIndex) : pkIndex;
    const parts: Buffer[] = [];
    if (writtenPkIndex !== undefined) parts.push(varintField(1, writtenPkIndex));
    if (record.explicitHashKey !== undefined) {
      const ehkIndex = explicitHashKeys.indexOf(record.explicitHashKey);
      parts.push(varintField(2, options.explicitHashKeyIndex?.(index, ehkIndex) ?? ehkIndex));
    }
    if (!options.withoutData?.includes(index)) parts.push(bytesField(3, record.data));
    for (const tag of record.tags ?? []) parts.push(bytesField(4, tagMessage(tag)));
    if (options.extraRecordFields) parts.push(options.extraRecordFields);
    return bytesField(3, Buffer.concat(parts));
  });
  const tables = [
    ...[...partitionKeys.indices.keys()].map((key) => bytesField(1, key)),
    ...[...explicitHashKeys.indices.keys()].map((key) => bytesField(2, key)),
  ];
  const fields = options.recordsFirst ? [...recordFields, ...tables] : [...tables, ...recordFields];
  if (options.extraAggregateFields) fields.push(options.extraAggregateFields);
  const protobuf = Buffer.concat(fields).subarray(0, options.truncateProtobufTo);
  const sealed = seal(protobuf);
  if (options.badDigest) sealed[sealed.length - 1] = (sealed.at(-1) ?? 0) ^ 0x01;
  return sealed;
};
