import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FUNCTION_ID } from '../../src/hosts/invoke/options';
import { object, parseCloudFormation, readRepoFile } from '../helpers/cloudformation-template';
import { invokeBundle } from '../helpers/invoke-bundle';
import { startReceiver, type TestReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';
import {
  installedPackages,
  pathWithout,
  type SamEsbuildBuild,
  samEsbuildBuild,
} from '../helpers/sam-esbuild-build';

const REPO = join(__dirname, '..', '..');
const template = parseCloudFormation(readRepoFile('template.yaml'));
const fn = object(object(template.Resources, 'Resources')[FUNCTION_ID], FUNCTION_ID);
const buildProperties = object(object(fn.Metadata, 'Metadata').BuildProperties, 'BuildProperties');

// The local stream mode's packages (the emulators, leveldown's native binaries, the Kinesis client): not the
// function's, so neither in its artifact nor in its install.
const LOCAL_MODE_PACKAGES = ['kinesalite', 'leveldown', 'kinesis-local', '@aws-sdk/client-kinesis'];

// A machine with Node.js and npm (SAM CLI needs them) but no esbuild installed globally.
describe('sam build (the esbuild workflow, emulated) on a machine without a global esbuild', () => {
  let workDir: string;
  let build: SamEsbuildBuild;
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    workDir = await mkdtemp(join(tmpdir(), 'sam-build-'));
    const env = { PATH: pathWithout('esbuild', process.env.PATH ?? ''), HOME: process.env.HOME };
    build = await samEsbuildBuild(REPO, workDir, buildProperties, env);
  }, 300_000);
  afterAll(async () => {
    await receiver.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("uses the esbuild that the project's production dependencies install", () => {
    expect(relative(join(workDir, 'scratch'), build.esbuild)).toBe(join('node_modules', '.bin', 'esbuild'));
  });

  it('writes handler.js and its source map, a handler that runs on its own and forwards a batch', async () => {
    // Arrange
    const record = kinesisRecord({ payload: { built: 'by the sam build workflow' } });

    // Act
    const response = await invokeBundle(join(build.artifactsDir, 'handler.js'), kinesisEvent([record]), {
      FORWARD_URL: receiver.url,
    });

    // Assert
    expect(readdirSync(build.artifactsDir).sort()).toEqual(['handler.js', 'handler.js.map']);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([record.kinesis]);
  });

  it("installs none of the local stream mode's packages", () => {
    const installed = installedPackages(build.nodeModules);

    expect(installed.has('@middy/core')).toBe(true);
    expect(LOCAL_MODE_PACKAGES.filter((name) => installed.has(name))).toEqual([]);
  });
});
