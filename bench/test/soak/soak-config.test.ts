import { parseSoakConfig } from '../../soak/soak-config';

describe('parseSoakConfig', () => {
  it('defaults to 100,000 records in chunks of 5000, 15 minutes at most, a 256 MB heap and the embedded emulator', () => {
    expect(parseSoakConfig({})).toEqual({
      records: 100_000,
      chunk: 5000,
      backlog: 20_000,
      maxMinutes: 15,
      tolerance: 0.1,
      output: '.local/bench/soak.json',
      heapMb: 256,
      kinesisEndpoint: undefined,
    });
  });

  it('takes every setting from the environment', () => {
    const config = parseSoakConfig({
      SOAK_RECORDS: '20000',
      SOAK_CHUNK: '1000',
      SOAK_BACKLOG: '3000',
      SOAK_MAX_MINUTES: '2.5',
      SOAK_TOLERANCE: '0.05',
      SOAK_OUTPUT: '.local/soak.json',
      SOAK_HEAP_MB: '0',
      SOAK_KINESIS_ENDPOINT: 'http://127.0.0.1:4567',
    });

    expect(config).toEqual({
      records: 20_000,
      chunk: 1000,
      backlog: 3000,
      maxMinutes: 2.5,
      tolerance: 0.05,
      output: '.local/soak.json',
      heapMb: 0,
      kinesisEndpoint: 'http://127.0.0.1:4567',
    });
  });

  it.each([
    ['SOAK_RECORDS', 'lots', 'SOAK_RECORDS must be an integer between 1000 and 10000000, got "lots"'],
    ['SOAK_CHUNK', '2.5', 'SOAK_CHUNK must be a positive integer between 1 and 100000, got "2.5"'],
    ['SOAK_MAX_MINUTES', '0', 'SOAK_MAX_MINUTES must be a number between 1 and 240, got "0"'],
    [
      'SOAK_KINESIS_ENDPOINT',
      'localhost:4567',
      'SOAK_KINESIS_ENDPOINT must be an http(s) URL, got "localhost:[REDACTED]"',
    ],
  ])('rejects %s=%s with a message saying what it expects', (name, value, message) => {
    expect(() => parseSoakConfig({ [name]: value })).toThrow(message);
  });

  it('rejects a backlog smaller than one chunk', () => {
    expect(() => parseSoakConfig({ SOAK_CHUNK: '5000', SOAK_BACKLOG: '100' })).toThrow(
      'SOAK_BACKLOG must be an integer between 5000 and 10000000, got "100"',
    );
  });
});
