import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** Dummy AWS settings for talking to an emulator on loopback. */
export const AWS_TEST_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-key',
};

/** dynalite (DynamoDB in this process, in memory) behind a loopback front that counts the operations it sees. */
export interface TestDynamo {
  /** The front's URL: point AWS_ENDPOINT_URL_DYNAMODB at it. */
  readonly endpoint: string;
  /** How often each operation (`GetItem`, `PutItem`...) was asked for. */
  readonly calls: Map<string, number>;
  /** Creates a ledger table: partition key `pk`, as the template's. */
  createLedgerTable(name: string): Promise<void>;
  close(): Promise<void>;
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

export const startTestDynamo = async (): Promise<TestDynamo> => {
  const emulator = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const emulatorPort = await listen(emulator);
  const calls = new Map<string, number>();
  const front = http.createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    const upstream = http.request(
      { host: '127.0.0.1', port: emulatorPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  const endpoint = `http://127.0.0.1:${await listen(front)}`;
  const client = new DynamoDBClient({
    endpoint,
    region: AWS_TEST_ENV.AWS_REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  return {
    endpoint,
    calls,
    createLedgerTable: async (name) => {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      calls.clear();
    },
    close: async () => {
      client.destroy();
      for (const server of [front, emulator]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
};
