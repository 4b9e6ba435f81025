import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A GetSecretValue call as the stand-in received it. */
export interface SecretRead {
  readonly secretId: string;
  /** The SigV4 Authorization header's credential scope, e.g. `AKID/20260101/eu-west-1/secretsmanager/aws4_request`. */
  readonly credential: string | undefined;
}

/** AWS Secrets Manager's GetSecretValue (JSON 1.1 protocol) on 127.0.0.1, for secrets given as name or ARN. */
export interface SecretsManagerStandIn {
  /** The endpoint to give the SDK (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  readonly url: string;
  readonly reads: SecretRead[];
  close(): Promise<void>;
}

const reply = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
};

/** Starts a Secrets Manager stand-in serving `secrets` (ARN to string value); any other target or secret is refused. */
export const startSecretsManagerStandIn = async (
  secrets: Record<string, string>,
): Promise<SecretsManagerStandIn> => {
  const reads: SecretRead[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      reply(res, 400, { __type: 'UnknownOperationException', message: 'only GetSecretValue is served here' });
      return;
    }
    const { SecretId = '' } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: string };
    const credential = /Credential=([^,]+)/.exec(req.headers.authorization ?? '')?.[1];
    reads.push({ secretId: SecretId, credential });
    const value = secrets[SecretId];
    if (value === undefined) {
      reply(res, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
      return;
    }
    reply(res, 200, {
      ARN: SecretId,
      Name: SecretId.split(':').at(-1),
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_767_225_600,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
