import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';
import { object, parseCloudFormation, readRepoFile } from '../helpers/cloudformation-template';
import { startReceiver, type TestReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';
import { type RuntimeApi, startRuntimeApi } from '../helpers/runtime-api';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../helpers/secrets-manager-stand-in';

const REPO = join(__dirname, '..', '..');
// The real Lambda runtime interface client (npm aws-lambda-ric), installed by `npm run install-ric`.
const RIC = join(REPO, '.local', 'ric', 'node_modules', 'aws-lambda-ric', 'index.mjs');
// Where the runtime provides the AWS SDK: outside the task root, found only through NODE_PATH.
const RUNTIME_MODULES = join(REPO, 'node_modules');
const SDK_VERSION = (
  JSON.parse(
    readFileSync(join(RUNTIME_MODULES, '@aws-sdk', 'client-secrets-manager', 'package.json'), 'utf8'),
  ) as { version: string }
).version;

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:forwarder';
const globals = object(
  object(parseCloudFormation(readRepoFile('template.yaml')).Globals, 'Globals').Function,
  'Function',
);
const deployedNodeOptions = object(
  object(globals.Environment, 'Environment').Variables,
  'Variables',
).NODE_OPTIONS;

const ricInstalled = existsSync(RIC);
if (!ricInstalled) {
  const message =
    'the Lambda runtime interface client is not installed: run `npm run install-ric` (about a minute)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED test/integration/lambda-runtime.test.ts: ${message}`);
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

(ricInstalled ? describe : describe.skip)('the bundle under the Lambda runtime interface client', () => {
  let taskRoot: string;
  let runtimeApi: RuntimeApi;
  let secretsManager: SecretsManagerStandIn;
  let receiver: TestReceiver;
  let runtime: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    taskRoot = await mkdtemp(join(tmpdir(), 'lambda-task-'));
    await build({ ...LAMBDA_BUILD, absWorkingDir: REPO, outfile: join(taskRoot, 'handler.js') });
  }, 60_000);
  afterAll(async () => {
    await rm(taskRoot, { recursive: true, force: true });
  });
  beforeEach(async () => {
    receiver = await startReceiver((request) => ({
      status: request.headers.authorization === 'Bearer from-secrets-manager' ? 200 : 401,
    }));
    secretsManager = await startSecretsManagerStandIn({ [SECRET_ARN]: 'Bearer from-secrets-manager' });
  });
  afterEach(async () => {
    if (runtime) {
      runtime.kill();
      await stopped(runtime);
    }
    await runtimeApi.close();
    await secretsManager.close();
    await receiver.close();
  });

  it('reads the token with the runtime-provided SDK (NODE_PATH) and forwards the batch', async () => {
    // Arrange: the task root holds the bundle and nothing else; the SDK is where the runtime keeps its modules.
    expect((await readdir(taskRoot)).sort()).toEqual(['handler.js', 'handler.js.map']);
    const record = kinesisRecord({ payload: { through: 'aws-lambda-ric' } });
    runtimeApi = await startRuntimeApi({
      requestId: 'ric-request-1',
      event: kinesisEvent([record]),
      functionArn: FUNCTION_ARN,
      timeoutMs: 30_000,
    });

    // Act
    runtime = spawn(process.execPath, [RIC, 'handler.handler'], {
      cwd: taskRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        AWS_LAMBDA_RUNTIME_API: runtimeApi.address,
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: 'handler.handler',
        NODE_PATH: RUNTIME_MODULES,
        ...(typeof deployedNodeOptions === 'string' ? { NODE_OPTIONS: deployedNodeOptions } : {}),
        AWS_LAMBDA_FUNCTION_NAME: 'forwarder',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/forwarder',
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
        AWS_SECRET_ACCESS_KEY: 'local-test-secret-key',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
        FORWARD_URL: receiver.url,
        FORWARD_AUTH_SECRET_ARN: SECRET_ARN,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_TRACE_ENABLED: 'false',
      },
    });
    runtime.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    runtime.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const outcome = await Promise.race([
      runtimeApi.outcome,
      stopped(runtime).then(() => ({ kind: 'exited', body: output })),
    ]);

    // Assert
    expect(outcome).toEqual({ kind: 'response', body: JSON.stringify({ batchItemFailures: [] }) });
    expect(runtimeApi.reports).toHaveLength(1);
    expect(secretsManager.reads.map((read) => read.secretId)).toEqual([SECRET_ARN]);
    expect(secretsManager.reads[0]?.credential).toMatch(/^AKIDLOCALTEST\/\d{8}\/eu-west-1\/secretsmanager\//);
    expect(receiver.requests.map((r) => r.headers.authorization)).toEqual(['Bearer from-secrets-manager']);
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([record.kinesis]);
    // The function says which SDK it runs with: the one the runtime provides.
    expect(output).toContain(`"awsSdkVersion":"${SDK_VERSION}"`);
    expect(output).not.toContain('Bearer from-secrets-manager');
  }, 30_000);
});
