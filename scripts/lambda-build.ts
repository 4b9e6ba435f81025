import type { BuildOptions } from 'esbuild';

/**
 * How the Lambda bundle is built, the way SAM's esbuild build does it (template.yaml's BuildProperties): one
 * CommonJS file exporting `handler`. Shared by `npm run build` and the benchmark so the two cannot drift apart.
 */
export const LAMBDA_BUILD = {
  entryPoints: ['src/handler.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // The Lambda runtime provides the AWS SDK v3.
  external: ['@aws-sdk/*'],
  logLevel: 'warning',
} as const satisfies BuildOptions;
