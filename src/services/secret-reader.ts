import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { tracer } from './powertools';

// A Secrets Manager that cannot be reached (a VPC without a route to it) fails in seconds, not at the Lambda timeout.
const REQUEST_HANDLER = { connectionTimeout: 3000, requestTimeout: 5000, throwOnRequestTimeout: true };

// Imported on first use: a function configured with a plain token never loads the Secrets Manager client.
const createProvider = async (): Promise<SecretsProvider> => {
  const [{ SecretsProvider }, { SecretsManagerClient }] = await Promise.all([
    import('@aws-lambda-powertools/parameters/secrets'),
    import('@aws-sdk/client-secrets-manager'),
  ]);
  const client = new SecretsManagerClient({ requestHandler: REQUEST_HANDLER });
  return new SecretsProvider({ awsSdkV3Client: tracer ? tracer.captureAWSv3Client(client) : client });
};

/**
 * Creates a reader of a secret's current value (a string, or bytes for a binary secret) through Powertools
 * Parameters, bypassing its cache: the caller keeps the value as long as it holds.
 */
export const createSecretReader = () => {
  let provider: Promise<SecretsProvider> | undefined;
  return async (secretId: string): Promise<unknown> => {
    provider ??= createProvider();
    return (await provider).get(secretId, { forceFetch: true, maxAge: 0 });
  };
};
