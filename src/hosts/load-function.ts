import { allowRequireOfEsmOnlyPackages } from './esm-only-packages';
import { type StreamHandler, startInvokeStore } from './invoker';

/**
 * Loads the Lambda entry (src/handler.ts) as a cold start would, after adding `added` to the process
 * environment it reads its configuration from. Call it once per process: modules load once.
 */
export const loadFunction = async (added: Record<string, string>): Promise<StreamHandler> => {
  allowRequireOfEsmOnlyPackages();
  Object.assign(process.env, added);
  await startInvokeStore();
  const { handler } = await import('../handler');
  return handler as StreamHandler;
};
