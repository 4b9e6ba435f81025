import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { captureOutput, captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { type TestReceiver, useReceiver } from '../helpers/receiver';
import { interleavedRecords, kinesisEvent, kinesisRecord } from '../helpers/records';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

const secretReads = () => secretsManager.commandCalls(GetSecretValueCommand, { SecretId: SECRET_ARN }).length;

/** A receiver that accepts only `token`, answering 401 to anything else. */
const acceptOnly = (receiver: TestReceiver, token: string) => {
  receiver.respond = (request) => ({ status: request.headers.authorization === token ? 200 : 401 });
};

describe('the auth token from AWS Secrets Manager', () => {
  const receiver = useReceiver();

  beforeEach(() => {
    secretsManager.reset();
  });

  it('is read once per container and sent as the Authorization header', async () => {
    // Arrange
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'Bearer from-secret' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });

    // Act
    const first = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());
    const second = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    // Assert
    expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(receiver.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer from-secret',
      'Bearer from-secret',
    ]);
    expect(secretReads()).toBe(1);
  });

  it('takes the token field of a JSON secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"token":"Bearer in-json"}' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });

    await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer in-json');
  });

  it('fails the invocation before anything is sent when the secret cannot be read, and reads again next time', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        }),
      )
      .resolves({ SecretString: 'Bearer created-later' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });

    const failed = handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    await expect(failed).rejects.toThrow(
      `Cannot use the auth token in secret "${SECRET_ARN}" (FORWARD_AUTH_SECRET_ARN): reading it failed: ` +
        "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    expect(receiver.requests).toHaveLength(0);

    const retried = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer created-later');
  });

  it('fails the invocation when the secret holds no token', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });

    await expect(handler(kinesisEvent([kinesisRecord()]), lambdaContext())).rejects.toThrow(
      'it holds binary data; store the token as a secret string',
    );
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails the invocation, without showing the token, when the secret holds one that cannot be a header', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'Bearer s3cr3t-\u2713' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });

    const failed = handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    await expect(failed).rejects.toThrow(
      `Cannot use the auth token in secret "${SECRET_ARN}" (FORWARD_AUTH_SECRET_ARN): the token in it cannot be ` +
        'sent as the Authorization header: it contains a character that cannot be in an HTTP header',
    );
    await expect(failed).rejects.toThrow(expect.objectContaining({ name: 'AuthSecretError' }));
    await expect(failed).rejects.not.toThrow(/s3cr3t/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('is read again after a 401, and every rejected record is retried once with the new token', async () => {
    // Arrange: the secret was rotated after the container loaded it; the renewal read is slow, so all the 401s
    // arrive while it runs.
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Bearer old' })
      .callsFake(async () => {
        await sleep(300);
        return { SecretString: 'Bearer new' };
      });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });
    acceptOnly(receiver, 'Bearer new');
    const records = interleavedRecords(6, 6);

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(secretReads()).toBe(2);
    for (const record of records) {
      const sent = receiver.requests.filter((r) => r.headers['idempotency-key'] === record.eventID);
      expect(sent.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
    }
  });

  it('gives the rejected record its extra attempt even when FORWARD_MAX_ATTEMPTS is 1', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Bearer old' })
      .resolves({ SecretString: 'Bearer new' });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_AUTH_SECRET_ARN: SECRET_ARN,
      FORWARD_MAX_ATTEMPTS: '1',
    });
    acceptOnly(receiver, 'Bearer new');

    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests).toHaveLength(2);
  });

  it('counts the records as failed, after one shared read, when the secret still holds the rejected token', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'Bearer stale' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });
    acceptOnly(receiver, 'Bearer fresh');
    const records = interleavedRecords(4, 4);

    const response = await handler(kinesisEvent(records), lambdaContext());

    const failed = response.batchItemFailures.map((f) => f.itemIdentifier).sort();
    expect(failed).toEqual(records.map((r) => r.kinesis.sequenceNumber).sort());
    expect(receiver.requests).toHaveLength(records.length);
    expect(secretReads()).toBe(2);
  });

  it('does not try a second renewal for a record whose new token is rejected too', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Bearer old' })
      .resolvesOnce({ SecretString: 'Bearer new' })
      .resolves({ SecretString: 'Bearer newer' });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_AUTH_SECRET_ARN: SECRET_ARN });
    acceptOnly(receiver, 'Bearer newer');
    const record = kinesisRecord();

    const response = await handler(kinesisEvent([record]), lambdaContext());

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    expect(receiver.requests.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up waiting for a renewal at the invocation deadline, and reports the record', async () => {
    // Arrange: the renewal read never finishes while the invocation runs.
    let release = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Bearer old' })
      .callsFake(async () => {
        await stuck;
        return { SecretString: 'Bearer new' };
      });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_AUTH_SECRET_ARN: SECRET_ARN,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    acceptOnly(receiver, 'Bearer new');
    const record = kinesisRecord();
    const timeoutMs = 4000;
    const output = captureOutput();

    // Act
    const started = Date.now();
    let response: Awaited<ReturnType<typeof handler>>;
    try {
      response = await handler(kinesisEvent([record]), lambdaContext(timeoutMs));
    } finally {
      output.restore();
      release();
    }

    // Assert: answered before Lambda's timeout, with the record reported and why.
    expect(Date.now() - started).toBeLessThan(timeoutMs);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.kinesis.sequenceNumber }]);
    const failure = output.lines().find((line) => line.message === 'records not delivered');
    expect(failure?.reason).toBe('HTTP 401; no time left to renew the credentials');
  });

  it('never shows a token from the secret in the logs', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"token":"Bearer old-5f4e3d"}' })
      .resolves({ SecretString: 'Bearer new-2c1b0a' });
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_AUTH_SECRET_ARN: SECRET_ARN,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      FORWARD_MAX_ATTEMPTS: '1',
    });
    // The receiver echoes the token it got and never accepts it: every way a token could reach a log line.
    receiver.respond = (request) => ({ status: 401, body: request.headers.authorization ?? '' });
    const output = await captureOutputOf(() =>
      handler(kinesisEvent(interleavedRecords(4, 2)), lambdaContext()),
    );

    expect(output.lines().some((line) => line.message === 'records not delivered')).toBe(true);
    expect(output.text()).not.toMatch(/old-5f4e3d|new-2c1b0a/);
  });
});
