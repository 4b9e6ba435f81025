import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';

const bundledInputs = async (): Promise<string[]> => {
  const result = await build({ ...LAMBDA_BUILD, write: false, metafile: true, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs);
};

describe('the Lambda entry', () => {
  it('bundles nothing of the local stream mode', async () => {
    // Act
    const inputs = await bundledInputs();

    // Assert
    expect(inputs).toContain('src/handler.ts');
    expect(inputs.filter((input) => /src\/hosts\/|kinesalite|leveldown|tsx/.test(input))).toEqual([]);
  });

  it("bundles axios without its Node.js adapter's packages, which the forwarder's own adapter does not use", async () => {
    // Act
    const inputs = await bundledInputs();

    // Assert: axios is there, form-data's mime-db (134 KB), follow-redirects and proxy-from-env are not.
    expect(inputs.some((input) => input.includes('node_modules/axios/'))).toBe(true);
    expect(inputs.filter((input) => /mime-db|form-data|follow-redirects|proxy-from-env/.test(input))).toEqual(
      [],
    );
  });
});
