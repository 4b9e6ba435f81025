import { allowRequireOfEsmOnlyPackages } from './esm-only-packages';
import { type StreamHandler, startInvokeStore } from './invoker';

/**
 * Loads the Lambda entry (src/handler.ts) as a cold start would, after adding `added` to the process
 * environment it reads its configuration from. Call it once per process: modules load once.
 */
export const loadFunction = async (added: Record<string, string>): Promise<StreamHandler> => {
  allowRequireOfEsmOnlyPackages();
  // What Lambda's runtime sets: without it Powertools reports no cold start.
  Object.assign(process.env, { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' }, added);
  await startInvokeStore();
  const { handler } = await import('../handler');
  return handler as StreamHandler;
};
