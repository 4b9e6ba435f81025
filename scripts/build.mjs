// Bundles the Lambda entry the way SAM's esbuild build does: one CommonJS file exporting `handler`.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/handler.ts'],
  outfile: 'dist/handler.js',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // The Lambda runtime provides the AWS SDK v3.
  external: ['@aws-sdk/*'],
  metafile: true,
  logLevel: 'warning',
});

const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`dist/handler.js: ${(bytes / 1024).toFixed(1)} KiB`);
