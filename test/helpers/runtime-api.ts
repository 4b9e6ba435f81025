import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/2018-06-01/runtime';

/** What the runtime reported for the invocation: its response, its error, or an error while initialising. */
export interface Outcome {
  readonly kind: 'response' | 'error' | 'init-error';
  readonly body: string;
}

export interface Invocation {
  readonly requestId: string;
  readonly event: unknown;
  readonly functionArn: string;
  /** How long the invocation may run, from when the runtime picks it up. */
  readonly timeoutMs: number;
}

/** A Lambda Runtime API on 127.0.0.1 that hands out one invocation and records what the runtime reports. */
export interface RuntimeApi {
  /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Settles with the first thing the runtime reports. */
  readonly outcome: Promise<Outcome>;
  /** Every report, in order: the runtime must report the invocation once. */
  readonly reports: Outcome[];
  close(): Promise<void>;
}

const readBody = async (req: http.IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Starts a Runtime API (GET `invocation/next`, POST `invocation/{id}/response|error`, POST `init/error`) serving
 * `invocation` to the first `next`; later `next` calls wait, as they do between invocations, until it closes.
 */
export const startRuntimeApi = async (invocation: Invocation): Promise<RuntimeApi> => {
  const reports: Outcome[] = [];
  let settle: (outcome: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => {
    settle = resolve;
  });
  let served = false;

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      if (served) return; // no second invocation: the request stays open until the API closes
      served = true;
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': invocation.requestId,
        'lambda-runtime-deadline-ms': String(Date.now() + invocation.timeoutMs),
        'lambda-runtime-invoked-function-arn': invocation.functionArn,
      });
      res.end(JSON.stringify(invocation.event));
      return;
    }
    const id = encodeURIComponent(invocation.requestId);
    const kind =
      path === `${PREFIX}/invocation/${id}/response`
        ? 'response'
        : path === `${PREFIX}/invocation/${id}/error`
          ? 'error'
          : path === `${PREFIX}/init/error`
            ? 'init-error'
            : undefined;
    if (req.method !== 'POST' || kind === undefined) {
      res.writeHead(404).end();
      return;
    }
    const report = { kind, body } as const;
    reports.push(report);
    settle(report);
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    outcome,
    reports,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
