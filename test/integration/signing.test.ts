import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import type { ReceivedRequest } from '../../src/hosts/loopback-receiver';
import { captureOutputOf } from '../helpers/capture-output';
import { lambdaContext } from '../helpers/lambda-context';
import { loadHandler } from '../helpers/load-handler';
import { useReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/signing-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

/** What the receiver's Standard Webhooks library says of a request, as a receiver would ask it. */
const verify = (secret: string, request: ReceivedRequest, body: string | Buffer = request.raw) => {
  try {
    new Webhook(secret).verify(body, request.headers as Record<string, string>, { jsonParse: false });
    return 'verified';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('signed requests (Standard Webhooks)', () => {
  const receiver = useReceiver();

  beforeEach(() => {
    secretsManager.reset();
  });

  it('signs every request so the official library verifies it, with the eventID as webhook-id', async () => {
    // Arrange
    const secret = newSecret();
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET: secret });
    const records = [kinesisRecord({ partitionKey: 'a' }), kinesisRecord({ partitionKey: 'b' })];

    // Act
    const response = await handler(kinesisEvent(records), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((request) => verify(secret, request))).toEqual(['verified', 'verified']);
    expect(receiver.requests.map((request) => request.headers['webhook-id']).sort()).toEqual(
      records.map((record) => record.eventID).sort(),
    );
    const now = Date.now() / 1000;
    for (const request of receiver.requests) {
      expect(Math.abs(Number(request.headers['webhook-timestamp']) - now)).toBeLessThan(60);
    }
  });

  it('refuses a tampered body and a signature made with another secret', async () => {
    const secret = newSecret();
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET: secret });

    await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    const tampered = request.body.replace('"partitionKey":"key-1"', '"partitionKey":"key-2"');
    expect(tampered).not.toBe(request.body);
    expect(verify(secret, request, tampered)).toBe('No matching signature found');
    expect(verify(newSecret(), request)).toBe('No matching signature found');
  });

  it('sends one signature per secret while two are configured, so a receiver on either verifies', async () => {
    const [old, next] = [newSecret(), newSecret()];
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET: `${old} ${next}` });

    await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    const [request] = receiver.requests as [ReceivedRequest];
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(old, request)).toBe('verified');
    expect(verify(next, request)).toBe('verified');
  });

  it('keeps webhook-id across retries and signs each attempt with its own timestamp', async () => {
    const secret = newSecret();
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET: secret });
    // The retry comes two seconds later, so its timestamp differs.
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 503, headers: { 'Retry-After': '2' } } : { status: 200 };
    const record = kinesisRecord();

    await handler(kinesisEvent([record]), lambdaContext(10_000));

    const [first, second] = receiver.requests as [ReceivedRequest, ReceivedRequest];
    expect([first.headers['webhook-id'], second.headers['webhook-id']]).toEqual([
      record.eventID,
      record.eventID,
    ]);
    expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThan(
      Number(first.headers['webhook-timestamp']),
    );
    expect([verify(secret, first), verify(secret, second)]).toEqual(['verified', 'verified']);
  });

  it('reads the secrets from Secrets Manager, and reads them again after a 401 (rotation)', async () => {
    // Arrange: the receiver only accepts the new secret; the container loaded the old one.
    const [old, next] = [newSecret(), newSecret()];
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: old })
      .resolves({ SecretString: JSON.stringify({ secret: next }) });
    receiver.respond = (request) => ({ status: verify(next, request) === 'verified' ? 200 : 401 });
    const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET_ARN: SECRET_ARN });

    // Act
    const response = await handler(kinesisEvent([kinesisRecord()]), lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((request) => verify(next, request))).toEqual([
      'No matching signature found',
      'verified',
    ]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['a token, not a secret', 'Bearer:abc', 'it is not of the form whsec_<base64 key>'],
    ['a weak key', 'whsec_tooShort', 'it holds a key of fewer than 24 bytes'],
  ])(
    'fails the invocation before anything is sent when the secret holds %s',
    async (_what, value, problem) => {
      secretsManager.on(GetSecretValueCommand).resolves({ SecretString: value });
      const handler = loadHandler({ FORWARD_URL: receiver.url, FORWARD_SIGNING_SECRET_ARN: SECRET_ARN });

      const invocation = handler(kinesisEvent([kinesisRecord()]), lambdaContext());

      await expect(invocation).rejects.toThrow(
        `Cannot use the signing secret in secret "${SECRET_ARN}" (FORWARD_SIGNING_SECRET_ARN): ${problem}`,
      );
      expect(receiver.requests).toHaveLength(0);
    },
  );

  it('never shows a signing secret or its key in the logs', async () => {
    const secret = newSecret();
    const key = secret.slice('whsec_'.length);
    const handler = loadHandler({
      FORWARD_URL: receiver.url,
      FORWARD_SIGNING_SECRET: secret,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    receiver.respond = () => ({ status: 400, body: secret });

    const output = await captureOutputOf(() => handler(kinesisEvent([kinesisRecord()]), lambdaContext()));

    expect(output.lines().length).toBeGreaterThan(2);
    expect(output.text()).not.toContain(key);
  });
});
