import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { startReceiver, type TestReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';
const AWS_VARIABLES = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-key',
};

describe('loading the token from a Secrets Manager that never answers', () => {
  let receiver: TestReceiver;
  let secretsManager: http.Server;
  let reads = 0;

  beforeEach(async () => {
    receiver = await startReceiver();
    reads = 0;
    // Takes every request and never answers, like an endpoint behind a black-holed route.
    secretsManager = http.createServer(() => {
      reads += 1;
    });
    await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
    const { port } = secretsManager.address() as AddressInfo;
    Object.assign(process.env, AWS_VARIABLES, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}`,
    });
  });
  afterEach(async () => {
    for (const name of [...Object.keys(AWS_VARIABLES), 'AWS_ENDPOINT_URL_SECRETS_MANAGER'])
      delete process.env[name];
    secretsManager.closeAllConnections();
    await new Promise((resolve) => secretsManager.close(resolve));
    await receiver.close();
  });

  it('fails the invocation with AuthSecretError before the deadline, and sends nothing', async () => {
    // Arrange
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_AUTH_SECRET_ARN: SECRET_ARN,
      FORWARD_DEADLINE_MARGIN_MS: '1000',
    });
    const timeoutMs = 3000;
    const started = Date.now();

    // Act
    const invocation = handler(kinesisEvent([kinesisRecord()]), lambdaContext(timeoutMs));

    // Assert
    await expect(invocation).rejects.toThrow(
      `Cannot use the auth token in secret "${SECRET_ARN}" (FORWARD_AUTH_SECRET_ARN): reading it did not finish`,
    );
    expect(Date.now() - started).toBeLessThan(timeoutMs);
    expect(reads).toBeGreaterThan(0);
    expect(receiver.requests).toHaveLength(0);
  });
});
