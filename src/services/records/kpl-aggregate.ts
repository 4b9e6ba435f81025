import { createHash } from 'node:crypto';

// The KPL's aggregated record (its aggregation-format.md): 4 magic bytes, a protobuf `AggregatedRecord`, and the
// 16-byte MD5 of that protobuf.
const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const DIGEST_BYTES = 16;

// Protobuf wire types. Groups (3, 4) are not used by the format, so they count as corruption rather than
// something to skip.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

// Keys are Unicode strings to Kinesis: bytes that are not UTF-8 would be replaced silently by Buffer#toString and
// merge distinct keys. ignoreBOM keeps a leading U+FEFF as part of the key.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One user record out of a KPL aggregate. */
export interface UserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /** A view into the aggregate's buffer, not a copy. */
  readonly data: Buffer;
}

/**
 * Thrown by {@link deaggregate} for data that is not a whole, well-formed KPL aggregate. The message says what is
 * wrong and where (byte offsets, record indices); it never quotes payload bytes or keys.
 */
export class CorruptAggregateError extends Error {
  override name = 'CorruptAggregateError';

  constructor(problem: string) {
    super(`Corrupt KPL aggregate: ${problem}`);
  }
}

/**
 * True when `data` starts with the KPL magic bytes `F3 89 9A C2`, i.e. the producer meant it as an aggregate.
 * Text and JSON never start so (the bytes are not valid UTF-8). Whether the rest is well-formed is for
 * {@link deaggregate} to say.
 */
export const isAggregated = (data: Buffer): boolean =>
  data.length >= MAGIC.length && data.subarray(0, MAGIC.length).equals(MAGIC);

interface Field {
  readonly number: number;
  readonly wireType: number;
  /** Offset of the field's tag in the Kinesis record's data, for messages. */
  readonly at: number;
}

const indexText = (index: number): string => (Number.isSafeInteger(index) ? String(index) : 'above 2^53');

/**
 * Reads the fields of one protobuf message: `buffer` from `pos` up to `end`. Errors name the byte where the
 * field's tag starts, counted from the start of the Kinesis record's data.
 */
class MessageReader {
  constructor(
    private readonly buffer: Buffer,
    private pos: number,
    private readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  field(): Field {
    const at = this.pos;
    const tag = this.varint('field tag', at);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new CorruptAggregateError(`field number 0 at byte ${at}`);
    if (
      wireType !== VARINT &&
      wireType !== FIXED64 &&
      wireType !== LENGTH_DELIMITED &&
      wireType !== FIXED32
    ) {
      throw new CorruptAggregateError(
        `unknown wire type ${wireType} for field ${indexText(number)} at byte ${at}`,
      );
    }
    return { number, wireType, at };
  }

  /** A `uint64` field's value; `name` is the field's in the schema, `where` the message it is in. */
  uint64(field: Field, name: string, where: string): number {
    expectWireType(field, VARINT, name);
    return this.varint(`${where} ${name}`, field.at);
  }

  /** A `bytes` field's payload, as a view. */
  bytes(field: Field, name: string, what: string): Buffer {
    expectWireType(field, LENGTH_DELIMITED, name);
    return this.payload(what, field.at);
  }

  string(field: Field, name: string, what: string): string {
    const payload = this.bytes(field, name, what);
    try {
      return UTF8.decode(payload);
    } catch {
      throw new CorruptAggregateError(`${what} at byte ${field.at} is not valid UTF-8`);
    }
  }

  /** A reader of the message nested in a field. */
  message(field: Field, name: string, what: string): MessageReader {
    const payload = this.bytes(field, name, what);
    const start = payload.byteOffset - this.buffer.byteOffset;
    return new MessageReader(this.buffer, start, start + payload.length);
  }

  skip(field: Field): void {
    const what = `unknown field ${indexText(field.number)}`;
    if (field.wireType === VARINT) this.varint(what, field.at);
    else if (field.wireType === LENGTH_DELIMITED) this.payload(what, field.at);
    else this.advance(field.wireType === FIXED64 ? 8 : 4, what, field.at);
  }

  /**
   * An unsigned varint of up to 64 bits. Exact up to 2^53; larger values stay larger than any table or length,
   * which is all they are compared with.
   */
  private varint(what: string, at: number): number {
    let value = 0;
    let scale = 1;
    for (let count = 1; ; count++) {
      const byte = this.buffer[this.pos];
      if (this.pos >= this.end || byte === undefined) {
        throw new CorruptAggregateError(`${what} at byte ${at} is truncated`);
      }
      this.pos++;
      value += (byte & 0x7f) * scale;
      // The tenth byte holds bit 63 alone.
      if (count === 10 && byte > 1) throw new CorruptAggregateError(`${what} at byte ${at} exceeds 64 bits`);
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }

  private payload(what: string, at: number): Buffer {
    const length = this.varint(`length of ${what}`, at);
    const remaining = this.end - this.pos;
    if (length > remaining) {
      throw new CorruptAggregateError(
        `${what} at byte ${at} is truncated: it declares ${indexText(length)} byte(s), ${remaining} remain`,
      );
    }
    const start = this.pos;
    this.advance(length, what, at);
    return this.buffer.subarray(start, this.pos);
  }

  private advance(size: number, what: string, at: number): void {
    if (this.end - this.pos < size) throw new CorruptAggregateError(`${what} at byte ${at} is truncated`);
    this.pos += size;
  }
}

const expectWireType = (field: Field, expected: number, name: string): void => {
  if (field.wireType !== expected) {
    throw new CorruptAggregateError(
      `field ${field.number} (${name}) at byte ${field.at} has wire type ${field.wireType}, expected ${expected}`,
    );
  }
};

interface RecordFields {
  partitionKeyIndex: number | undefined;
  explicitHashKeyIndex: number | undefined;
  data: Buffer | undefined;
}

// Tags are not in the KPL's API: checked to be well-formed (a corrupt one means a corrupt aggregate), then dropped.
const readTag = (reader: MessageReader, where: string): void => {
  let hasKey = false;
  while (!reader.done) {
    const field = reader.field();
    if (field.number === 1 || field.number === 2) {
      const name = field.number === 1 ? 'key' : 'value';
      reader.bytes(field, name, `${where} ${name}`);
      hasKey ||= field.number === 1;
    } else reader.skip(field);
  }
  if (!hasKey) throw new CorruptAggregateError(`${where} has no key`);
};

const readRecord = (reader: MessageReader, where: string): RecordFields => {
  // Singular fields seen twice: the last wins, as in any protobuf parser.
  const fields: RecordFields = {
    partitionKeyIndex: undefined,
    explicitHashKeyIndex: undefined,
    data: undefined,
  };
  let tags = 0;
  while (!reader.done) {
    const field = reader.field();
    switch (field.number) {
      case 1:
        fields.partitionKeyIndex = reader.uint64(field, 'partition_key_index', where);
        break;
      case 2:
        fields.explicitHashKeyIndex = reader.uint64(field, 'explicit_hash_key_index', where);
        break;
      case 3:
        fields.data = reader.bytes(field, 'data', `${where} data`);
        break;
      case 4:
        readTag(reader.message(field, 'tags', `${where} tag ${tags}`), `${where} tag ${tags}`);
        tags++;
        break;
      default:
        reader.skip(field);
    }
  }
  return fields;
};

const lookUp = (table: readonly string[], index: number, name: string, where: string): string => {
  const key = table[index];
  if (key === undefined) {
    throw new CorruptAggregateError(
      `${where} has ${name} ${indexText(index)}, but the table holds ${table.length} key(s)`,
    );
  }
  return key;
};

/**
 * Splits a KPL aggregate (data for which {@link isAggregated} is true) into its user records, in the aggregate's
 * order: a record's index in the array is the KCL's subSequenceNumber.
 *
 * All or nothing: throws {@link CorruptAggregateError}, and returns no record, when the data is shorter than the
 * magic bytes and MD5, lacks the magic bytes, fails its MD5, is not a well-formed `AggregatedRecord` (truncated
 * varint or field, unknown wire type, a known field with the wrong wire type, a key that is not UTF-8), has a
 * record without `partition_key_index` or `data`, or a key index outside its key table. (The KCL instead passes
 * data that fails its MD5 or does not parse on as one ordinary record; refusing keeps half-understood bytes from
 * the receiver.) An aggregate holding no user records is refused too: the KPL never writes one, so it says the
 * producer is broken, and forwarding nothing would hide that.
 *
 * Unknown fields of the four wire types the format can hold are skipped, so are tags (field 4 of `Record`), after
 * being checked to be well-formed.
 */
export const deaggregate = (data: Buffer): UserRecord[] => {
  if (data.length < MAGIC.length + DIGEST_BYTES) {
    throw new CorruptAggregateError(
      `${data.length} byte(s), shorter than the ${MAGIC.length + DIGEST_BYTES} of magic bytes and MD5`,
    );
  }
  if (!isAggregated(data)) throw new CorruptAggregateError('it does not start with the KPL magic bytes');
  const end = data.length - DIGEST_BYTES;
  const digest = createHash('md5').update(data.subarray(MAGIC.length, end)).digest();
  // The MD5 goes first: it catches truncation and bit flips before the parser sees them.
  if (!digest.equals(data.subarray(end))) {
    throw new CorruptAggregateError(`MD5 mismatch over its ${end - MAGIC.length} protobuf byte(s)`);
  }

  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const records: RecordFields[] = [];
  const reader = new MessageReader(data, MAGIC.length, end);
  while (!reader.done) {
    const field = reader.field();
    switch (field.number) {
      case 1:
        partitionKeys.push(
          reader.string(field, 'partition_key_table', `partition key table entry ${partitionKeys.length}`),
        );
        break;
      case 2:
        explicitHashKeys.push(
          reader.string(
            field,
            'explicit_hash_key_table',
            `explicit hash key table entry ${explicitHashKeys.length}`,
          ),
        );
        break;
      case 3: {
        const where = `record ${records.length}`;
        records.push(readRecord(reader.message(field, 'records', where), where));
        break;
      }
      default:
        reader.skip(field);
    }
  }
  if (records.length === 0) throw new CorruptAggregateError('it holds no user records');

  // Keys are resolved after the whole message is read: protobuf does not require the tables to come first.
  return records.map((record, index) => {
    const where = `record ${index}`;
    if (record.partitionKeyIndex === undefined) {
      throw new CorruptAggregateError(`${where} has no partition_key_index`);
    }
    if (record.data === undefined) throw new CorruptAggregateError(`${where} has no data`);
    return {
      partitionKey: lookUp(partitionKeys, record.partitionKeyIndex, 'partition_key_index', where),
      explicitHashKey:
        record.explicitHashKeyIndex === undefined
          ? undefined
          : lookUp(explicitHashKeys, record.explicitHashKeyIndex, 'explicit_hash_key_index', where),
      data: record.data,
    };
  });
};
