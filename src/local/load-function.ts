import { registerHooks } from 'node:module';
import type { StreamHandler } from './invoke-handler';

let bridged = false;

// Middy 7 ships ESM only, without a "require" export; this process runs our sources as CommonJS (tsx), so
// @middy packages resolve through their "import" export and load with Node's require(esm).
const bridgeMiddy = () => {
  if (bridged) return;
  bridged = true;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier.startsWith('@middy/')
        ? nextResolve(specifier, { ...context, conditions: [...context.conditions, 'import'] })
        : nextResolve(specifier, context),
  });
};

/**
 * Loads the Lambda entry (src/handler.ts) as a cold start would, after adding `added` to the process
 * environment it reads its configuration from. Call it once per process: modules load once.
 */
export const loadFunction = async (added: Record<string, string>): Promise<StreamHandler> => {
  bridgeMiddy();
  Object.assign(process.env, added);
  const { handler } = await import('../handler');
  return handler as StreamHandler;
};
