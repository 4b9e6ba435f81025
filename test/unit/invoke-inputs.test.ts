import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvVarsFile, readEventFile } from '../../src/hosts/invoke/inputs';
import { UsageError } from '../../src/lib/errors';

describe('invoke input files', () => {
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'invoke-inputs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads an event file as it is', async () => {
    const path = await file('event.json', '{"Records":[{"anything":1}]}');

    expect(await readEventFile(path)).toEqual({ Records: [{ anything: 1 }] });
  });

  it('says which event file does not exist', async () => {
    const path = join(dir, 'missing.json');

    await expect(readEventFile(path)).rejects.toThrow(new UsageError(`event file ${path} does not exist`));
  });

  it('says which event file is not JSON', async () => {
    const path = await file('broken.json', '{"Records": [');

    await expect(readEventFile(path)).rejects.toThrow(`event file ${path} is not valid JSON`);
  });

  it('reads an env file in sam local format; the function section wins over Parameters', async () => {
    const path = await file(
      'env.json',
      JSON.stringify({
        Parameters: { FORWARD_URL: 'http://shared/', POWERTOOLS_LOG_LEVEL: 'WARN' },
        ForwarderFunction: {
          FORWARD_URL: 'http://mine/',
          FORWARD_CONCURRENCY: 4,
          FORWARD_LOG_PAYLOADS: true,
        },
        OtherFunction: { FORWARD_URL: 'http://theirs/' },
      }),
    );

    expect(await readEnvVarsFile(path)).toEqual({
      FORWARD_URL: 'http://mine/',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      FORWARD_CONCURRENCY: '4',
      FORWARD_LOG_PAYLOADS: 'true',
    });
  });

  it.each([
    ['[]', 'must be a JSON object like {"ForwarderFunction"'],
    ['{"ForwarderFunction": "FORWARD_URL=x"}', '"ForwarderFunction" must be an object of variables'],
    [
      '{"ForwarderFunction": {"FORWARD_URL": {"url": "x"}}}',
      'ForwarderFunction.FORWARD_URL must be a string',
    ],
  ])('rejects the env file %s saying why', async (content, message) => {
    const path = await file('env.json', content);

    await expect(readEnvVarsFile(path)).rejects.toThrow(message);
  });
});
