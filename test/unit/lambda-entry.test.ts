import { build } from 'esbuild';

describe('the Lambda entry', () => {
  it('bundles nothing of the local stream mode', async () => {
    const result = await build({
      entryPoints: ['src/handler.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });

    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/handler.ts');
    expect(inputs.filter((input) => /src\/local\/|kinesalite|leveldown|tsx/.test(input))).toEqual([]);
  });
});
