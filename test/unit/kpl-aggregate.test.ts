import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import {
  CorruptAggregateError,
  deaggregate,
  isAggregated,
  type UserRecord,
} from '../../src/services/records/kpl-aggregate';
import {
  type AggregatedUserRecord,
  aggregate,
  bytesField,
  fieldTag,
  KPL_MAGIC,
  seal,
  varint,
  varintField,
  WIRE,
} from '../helpers/kpl';

const FIXTURES = join(__dirname, '..', 'fixtures', 'kpl');

/** The data of the one Kinesis record in a fixture event. */
const fixtureData = (name: string): Buffer => {
  const event = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as KinesisStreamEvent;
  const [record] = event.Records;
  if (!record) throw new Error(`${name} holds no record`);
  return Buffer.from(record.kinesis.data, 'base64');
};

const JAVA_SAMPLE = 'kinesis-aggregation-java-SampleLambdaEvent-kpl-aggregated.json';
const PYTHON_SAMPLE = 'kinesis-aggregation-python-kpl_generated_rec_with_ehks.json';

/** User records as plain values, data as text, for comparing with what was aggregated. */
const plain = (records: readonly UserRecord[]) =>
  records.map(({ partitionKey, explicitHashKey, data }) => ({
    partitionKey,
    explicitHashKey,
    data: data.toString('utf8'),
  }));

const expected = (records: readonly AggregatedUserRecord[]) =>
  records.map(({ partitionKey, explicitHashKey, data }) => ({
    partitionKey,
    explicitHashKey,
    data: Buffer.from(data).toString('utf8'),
  }));

/** The error deaggregate throws for `data`; fails the test when it returns instead. */
const refusal = (data: Buffer): CorruptAggregateError => {
  let records: UserRecord[];
  try {
    records = deaggregate(data);
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptAggregateError);
    return error as CorruptAggregateError;
  }
  throw new Error(`deaggregate returned ${records.length} record(s) instead of refusing`);
};

// Payloads and keys no error message may quote.
const SECRET = 'secret-payload';
const secretRecords: AggregatedUserRecord[] = [
  { partitionKey: 'secret-key-a', data: `${SECRET} one` },
  { partitionKey: 'secret-key-b', data: `${SECRET} two`, explicitHashKey: '12345' },
];

describe('isAggregated', () => {
  it('recognises real KPL output', () => {
    expect(isAggregated(fixtureData(JAVA_SAMPLE))).toBe(true);
    expect(isAggregated(fixtureData(PYTHON_SAMPLE))).toBe(true);
  });

  it.each([
    ['JSON', Buffer.from('{"hello":"world"}')],
    ['text', Buffer.from('RECORD 22 peeobhczbzdmskboupgyq\n')],
    ['an empty buffer', Buffer.alloc(0)],
    ['three of the four magic bytes', KPL_MAGIC.subarray(0, 3)],
    ['the magic bytes after the first byte', Buffer.concat([Buffer.from('x'), KPL_MAGIC])],
  ])('is false for %s', (_name, data) => {
    expect(isAggregated(data)).toBe(false);
  });

  it('is true for the magic bytes alone, which deaggregate then refuses as too short', () => {
    expect(isAggregated(KPL_MAGIC)).toBe(true);
    expect(refusal(KPL_MAGIC).message).toBe(
      'Corrupt KPL aggregate: 4 byte(s), shorter than the 20 of magic bytes and MD5',
    );
  });
});

describe('deaggregate on real KPL output', () => {
  it('reads the Java sample: 100 records under one key, alphabet forward then backward', () => {
    const records = deaggregate(fixtureData(JAVA_SAMPLE));

    expect(records).toHaveLength(100);
    const forward = 'abcdefghijklmnopqrstuvwxyz';
    const backward = [...forward].reverse().join('');
    expect(plain(records)).toEqual(
      records.map((_, index) => ({
        partitionKey: 'abc',
        explicitHashKey: '191415658344158766168031473277922803570',
        data: index % 2 === 0 ? forward : backward,
      })),
    );
  });

  it('reads the Python sample: the four user records its own test lists, explicit hash keys included', () => {
    const records = deaggregate(fixtureData(PYTHON_SAMPLE));

    expect(plain(records)).toEqual([
      {
        partitionKey: 'fc03dd88-3e79-448a-b01a-7cf1bd47b784',
        explicitHashKey: '38486495867508399078159723846051807020',
        data: 'RECORD 22 peeobhczbzdmskboupgyq\n',
      },
      {
        partitionKey: 'cae41b1c-ea61-43f2-90be-b8755ebf88e2',
        explicitHashKey: '193787600037681706952143357071916352604',
        data: 'RECORD 23 uswkxftxroeusscxsjhno\n',
      },
      {
        partitionKey: 'd490690c-e74d-4db2-a3c8-d8f2f184fd23',
        explicitHashKey: '266880436964932424265466916734068684439',
        data: 'RECORD 24 casehdgivfaxeustlyszy\n',
      },
      {
        partitionKey: 'c924bc09-b85e-47f1-b32e-336522ee53c8',
        explicitHashKey: '339606600942967391854603552402021847292',
        data: 'RECORD 25 nvffvpmuogdopjhamevrk\n',
      },
    ]);
  });
});

describe('deaggregate on aggregates the tests build', () => {
  it('returns the records in order, each with its own key, shared keys written once', () => {
    const records: AggregatedUserRecord[] = [
      { partitionKey: 'orders', data: '{"id":1}' },
      { partitionKey: 'payments', data: '{"id":2}' },
      { partitionKey: 'orders', data: '{"id":3}' },
      { partitionKey: 'orders', data: '{"id":4}' },
    ];
    const data = aggregate(records);

    expect(plain(deaggregate(data))).toEqual(expected(records));
    // The helper shares keys as the KPL does, so the tests exercise the key table.
    expect(data.toString('latin1').split('orders')).toHaveLength(2);
  });

  it('keeps empty data apart from absent data', () => {
    const records = [{ partitionKey: 'k', data: '' }];

    const [record] = deaggregate(aggregate(records));

    expect(record?.data).toEqual(Buffer.alloc(0));
  });

  it('reads data longer than 127 and 16383 bytes (multi-byte length varints)', () => {
    const records = [
      { partitionKey: 'k', data: Buffer.alloc(200, 7) },
      { partitionKey: 'k', data: Buffer.alloc(20_000, 9) },
    ];

    const result = deaggregate(aggregate(records));

    expect(result.map((r) => r.data)).toEqual(records.map((r) => r.data));
  });

  it('reads key indices above 127 (multi-byte index varints)', () => {
    const records = Array.from({ length: 300 }, (_, i) => ({
      partitionKey: `key-${i}`,
      data: `payload ${i}`,
    }));

    expect(plain(deaggregate(aggregate(records)))).toEqual(expected(records));
  });

  it('keeps unicode partition keys exact: scripts, emoji, composed and decomposed forms, a leading BOM', () => {
    const records = ['ключ', '🔑-キー', 'caf\u00e9', 'cafe\u0301', '\ufeffbom'].map((partitionKey) => ({
      partitionKey,
      data: 'x',
    }));

    expect(deaggregate(aggregate(records)).map((r) => r.partitionKey)).toEqual(
      records.map((r) => r.partitionKey),
    );
  });

  it('returns explicit hash keys, shared or not, and undefined where a record has none', () => {
    const records: AggregatedUserRecord[] = [
      { partitionKey: 'a', data: '1', explicitHashKey: '340282366920938463463374607431768211455' },
      { partitionKey: 'b', data: '2' },
      { partitionKey: 'c', data: '3', explicitHashKey: '340282366920938463463374607431768211455' },
      { partitionKey: 'd', data: '4', explicitHashKey: '0' },
    ];

    expect(plain(deaggregate(aggregate(records)))).toEqual(expected(records));
  });

  it('reads past tags, with and without a value', () => {
    const records: AggregatedUserRecord[] = [
      { partitionKey: 'a', data: 'tagged', tags: [{ key: 'origin', value: 'eu' }, { key: 'flag' }] },
      { partitionKey: 'b', data: 'plain' },
    ];

    expect(plain(deaggregate(aggregate(records)))).toEqual(expected(records));
  });

  it('skips unknown fields of every wire type the format can hold, in records and in the aggregate', () => {
    const unknownFields = Buffer.concat([
      varintField(9, 2n ** 64n - 1n),
      Buffer.concat([fieldTag(10, WIRE.fixed64), Buffer.alloc(8, 0xff)]),
      bytesField(11, 'ignored'),
      Buffer.concat([fieldTag(12, WIRE.fixed32), Buffer.alloc(4, 0xff)]),
    ]);
    const records = [
      { partitionKey: 'a', data: 'one' },
      { partitionKey: 'b', data: 'two' },
    ];

    const result = deaggregate(
      aggregate(records, { extraRecordFields: unknownFields, extraAggregateFields: unknownFields }),
    );

    expect(plain(result)).toEqual(expected(records));
  });

  it('resolves keys whose tables come after the records', () => {
    const records = [
      { partitionKey: 'a', data: 'one', explicitHashKey: '1' },
      { partitionKey: 'b', data: 'two' },
    ];

    expect(plain(deaggregate(aggregate(records, { recordsFirst: true })))).toEqual(expected(records));
  });
});

describe('deaggregate refuses corrupt aggregates, saying what is wrong', () => {
  const record = (fields: Buffer[]) => bytesField(3, Buffer.concat(fields));

  it.each<[string, Buffer, string]>([
    [
      'too short for magic and MD5',
      Buffer.concat([KPL_MAGIC, Buffer.alloc(15)]),
      '19 byte(s), shorter than the 20',
    ],
    [
      'no magic bytes',
      Buffer.from(JSON.stringify({ payload: SECRET })),
      'it does not start with the KPL magic bytes',
    ],
    [
      'an MD5 mismatch',
      aggregate(secretRecords, { badDigest: true }),
      'MD5 mismatch over its 85 protobuf byte(s)',
    ],
    ['the last byte cut off', aggregate(secretRecords).subarray(0, -1), 'MD5 mismatch'],
    [
      'a record cut short',
      aggregate(secretRecords, { truncateProtobufTo: 50 }),
      'record 0 at byte 39 is truncated: it declares 22 byte(s), 13 remain',
    ],
    [
      'a partition key index out of range',
      aggregate(secretRecords, { partitionKeyIndex: (i, index) => (i === 1 ? 2 : index) }),
      'record 1 has partition_key_index 2, but the table holds 2 key(s)',
    ],
    [
      'an explicit hash key index out of range',
      aggregate(secretRecords, { explicitHashKeyIndex: () => 1 }),
      'record 1 has explicit_hash_key_index 1, but the table holds 1 key(s)',
    ],
    [
      'an explicit hash key index and no table',
      seal(
        Buffer.concat([
          bytesField(1, 'k'),
          record([varintField(1, 0), varintField(2, 0), bytesField(3, SECRET)]),
        ]),
      ),
      'record 0 has explicit_hash_key_index 0, but the table holds 0 key(s)',
    ],
    [
      'the largest 64-bit index',
      aggregate(secretRecords, { partitionKeyIndex: () => 2n ** 64n - 1n }),
      'record 0 has partition_key_index above 2^53',
    ],
    [
      'a record without partition_key_index',
      aggregate(secretRecords, { partitionKeyIndex: (i, index) => (i === 0 ? undefined : index) }),
      'record 0 has no partition_key_index',
    ],
    ['a record without data', aggregate(secretRecords, { withoutData: [1] }), 'record 1 has no data'],
    ['no user records', seal(bytesField(1, 'lonely-key')), 'it holds no user records'],
    ['an empty protobuf', seal(Buffer.alloc(0)), 'it holds no user records'],
    [
      'an unknown wire type',
      seal(Buffer.concat([fieldTag(9, 6), aggregate(secretRecords).subarray(4, -16)])),
      'unknown wire type 6 for field 9 at byte 4',
    ],
    [
      'a group (wire type 3), not part of the format',
      seal(Buffer.concat([bytesField(1, 'k'), record([fieldTag(5, WIRE.startGroup)])])),
      'unknown wire type 3 for field 5 at byte 9',
    ],
    [
      'a known field with the wrong wire type',
      seal(Buffer.concat([varintField(1, 7), record([varintField(1, 0), bytesField(3, SECRET)])])),
      'field 1 (partition_key_table) at byte 4 has wire type 0, expected 2',
    ],
    [
      'data with the wrong wire type',
      seal(Buffer.concat([bytesField(1, 'k'), record([varintField(1, 0), varintField(3, 1)])])),
      'field 3 (data) at byte 11 has wire type 0, expected 2',
    ],
    [
      'field number 0',
      seal(Buffer.concat([fieldTag(0, WIRE.varint), varint(1)])),
      'field number 0 at byte 4',
    ],
    [
      'a varint of more than 64 bits',
      seal(Buffer.concat([fieldTag(9, WIRE.varint), Buffer.from([...Array(9).fill(0xff), 0x02])])),
      'unknown field 9 at byte 4 exceeds 64 bits',
    ],
    [
      'a varint running past ten bytes',
      seal(Buffer.concat([fieldTag(9, WIRE.varint), Buffer.from([...Array(10).fill(0xff), 0x01])])),
      'unknown field 9 at byte 4 exceeds 64 bits',
    ],
    ['a varint cut short', seal(Buffer.from([0x80])), 'field tag at byte 4 is truncated'],
    [
      'a key index cut short at the end of its record',
      seal(
        Buffer.concat([
          bytesField(1, 'k'),
          record([bytesField(3, SECRET), fieldTag(1, WIRE.varint), varint(300).subarray(0, 1)]),
        ]),
      ),
      'record 0 partition_key_index at byte 25 is truncated',
    ],
    [
      'a fixed64 cut short',
      seal(Buffer.concat([fieldTag(10, WIRE.fixed64), Buffer.alloc(7)])),
      'unknown field 10 at byte 4 is truncated',
    ],
    [
      'a field longer than its record',
      seal(
        Buffer.concat([
          bytesField(1, 'k'),
          record([varintField(1, 0), fieldTag(3, WIRE.lengthDelimited), varint(50)]),
        ]),
      ),
      'record 0 data at byte 11 is truncated: it declares 50 byte(s), 0 remain',
    ],
    [
      'a partition key that is not UTF-8',
      seal(
        Buffer.concat([
          bytesField(1, Buffer.from([0x6b, 0xff])),
          record([varintField(1, 0), bytesField(3, 'x')]),
        ]),
      ),
      'partition key table entry 0 at byte 4 is not valid UTF-8',
    ],
    [
      'a tag without a key',
      seal(
        Buffer.concat([
          bytesField(1, 'k'),
          record([varintField(1, 0), bytesField(3, SECRET), bytesField(4, bytesField(2, 'value'))]),
        ]),
      ),
      'record 0 tag 0 has no key',
    ],
  ])('%s', (_name, data, problem) => {
    const error = refusal(data);

    expect(error.name).toBe('CorruptAggregateError');
    expect(error.message).toContain(`Corrupt KPL aggregate: ${problem}`);
    expect(error.message).not.toMatch(/secret/);
  });
});

describe('deaggregate on cut and damaged aggregates', () => {
  const records: AggregatedUserRecord[] = [
    { partitionKey: 'a', data: Buffer.alloc(150, 1), explicitHashKey: '42' },
    { partitionKey: 'b', data: 'two', tags: [{ key: 'k', value: 'v' }] },
    { partitionKey: 'a', data: '' },
    { partitionKey: 'ключ', data: 'four' },
  ];

  it('refuses a record cut at any length: too short, or its MD5 no longer matches', () => {
    const whole = aggregate(records);
    const problems: string[] = [];

    for (let length = 0; length < whole.length; length++) {
      problems.push(refusal(whole.subarray(0, length)).message);
    }

    expect(problems).toEqual(
      problems.map((_, length) =>
        expect.stringMatching(length < 20 ? /shorter than the 20 of magic bytes and MD5$/ : /MD5 mismatch/),
      ),
    );
  });

  it('on a protobuf cut at any length but sealed with its MD5, refuses it or returns whole records up to a record boundary', () => {
    const full = aggregate(records).subarray(KPL_MAGIC.length, -16);
    let prefixes = 0;

    for (let length = 0; length < full.length; length++) {
      let result: UserRecord[] | undefined;
      try {
        result = deaggregate(aggregate(records, { truncateProtobufTo: length }));
      } catch (error) {
        expect(error).toBeInstanceOf(CorruptAggregateError);
      }
      if (result) {
        prefixes++;
        expect(plain(result)).toEqual(expected(records).slice(0, result.length));
      }
    }

    // Protobuf has no end marker: a cut between records is a smaller valid message, one per boundary.
    expect(prefixes).toBe(records.length - 1);
  });

  it('throws nothing but CorruptAggregateError for any byte of the protobuf damaged and resealed', () => {
    const protobuf = aggregate(records).subarray(KPL_MAGIC.length, -16);
    const thrown = new Set<string>();

    for (let offset = 0; offset < protobuf.length; offset++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = Buffer.from(protobuf);
        damaged[offset] = (damaged[offset] ?? 0) ^ mask;
        try {
          deaggregate(seal(damaged));
        } catch (error) {
          thrown.add(error instanceof Error ? error.name : typeof error);
        }
      }
    }

    expect([...thrown]).toEqual(['CorruptAggregateError']);
  });
});
