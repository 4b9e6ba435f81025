// `npm run build`: bundles the Lambda entry to dist/handler.js.
import { build } from 'esbuild';
import { LAMBDA_BUILD } from './lambda-build';

const main = async () => {
  const result = await build({ ...LAMBDA_BUILD, outfile: 'dist/handler.js', metafile: true });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  console.log(`dist/handler.js: ${(bytes / 1024).toFixed(1)} KiB`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
