import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LocalConfig } from '../local/config';

/**
 * A Kinesis client for `endpoint` (an emulator) or, without one, for real Kinesis. HTTP/1.1 always: emulators
 * fail with the SDK's default HTTP/2 handler, and every API used here works over HTTP/1.1 on AWS too.
 */
export const createKinesisClient = (config: LocalConfig, endpoint: string | undefined): KinesisClient =>
  new KinesisClient({
    region: config.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(config.awsCredentials ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
  });

/** The endpoint a config points at, if not real Kinesis. */
export const endpointOf = (config: LocalConfig): string | undefined => {
  switch (config.kinesis.kind) {
    case 'embedded':
      return `http://127.0.0.1:${config.kinesis.port}`;
    case 'endpoint':
      return config.kinesis.url;
    case 'aws':
      return undefined;
  }
};
