import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Observability } from '../observability/powertools';

// A Secrets Manager that cannot be reached (a VPC without a route to it) fails in seconds, not at the Lambda timeout.
const REQUEST_HANDLER = { connectionTimeout: 3000, requestTimeout: 5000, throwOnRequestTimeout: true };

/** Where the reader logs the SDK it loaded, and the tracer that captures its calls. */
export type SecretReaderOptions = Pick<Observability, 'logger' | 'tracer'>;

// Loaded on first use: a function configured with a plain token never loads the Secrets Manager client. The client
// is not in the bundle (the runtime provides the AWS SDK), and `require` finds it where the runtime keeps its own
// modules, through NODE_PATH; an `import()` would not look there.
const createProvider = ({ logger, tracer }: SecretReaderOptions): SecretsProvider => {
  const { SecretsManagerClient } =
    require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
  const { SecretsProvider } =
    require('@aws-lambda-powertools/parameters/secrets') as typeof import('@aws-lambda-powertools/parameters/secrets');
  const sdk = require('@aws-sdk/client-secrets-manager/package.json') as { version: string };
  logger.info('Secrets Manager client loaded', { awsSdkVersion: sdk.version });
  const client = new SecretsManagerClient({ requestHandler: REQUEST_HANDLER });
  return new SecretsProvider({ awsSdkV3Client: tracer ? tracer.captureAWSv3Client(client) : client });
};

/**
 * Creates a reader of a secret's current value (a string, or bytes for a binary secret) through Powertools
 * Parameters, bypassing its cache: the caller keeps the value as long as it holds.
 */
export const createSecretReader = (options: SecretReaderOptions) => {
  let provider: SecretsProvider | undefined;
  return async (secretId: string): Promise<unknown> => {
    provider ??= createProvider(options);
    return provider.get(secretId, { forceFetch: true, maxAge: 0 });
  };
};
