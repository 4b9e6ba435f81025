import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';
import {
  BATCH_FORMATS,
  BODY_MODES,
  type Config,
  LEDGER_MODES,
  ORDERING_MODES,
  parseConfig,
} from '../../src/config';
import { DEFAULT_TIMEOUT_SECONDS, FUNCTION_ID } from '../../src/hosts/invoke/options';
import { createLambdaContext } from '../../src/hosts/lambda-context';
import { captureOutputOf } from '../helpers/capture-output';
import {
  cfnLintOnPath,
  type Json,
  type JsonObject,
  object,
  parseCloudFormation,
  readRepoFile,
  resolveWith,
  runCfnLint,
  walk,
} from '../helpers/cloudformation-template';
import { loadHandler } from '../helpers/load-handler';
import { startReceiver } from '../helpers/receiver';
import { kinesisEvent, kinesisRecord } from '../helpers/records';

const template = parseCloudFormation(readRepoFile('template.yaml'));
const parameters = object(template.Parameters, 'Parameters');
const resources = object(template.Resources, 'Resources');
const resource = (id: string) => object(resources[id], `Resources.${id}`);
const properties = (id: string) => object(resource(id).Properties, `Resources.${id}.Properties`);
const globals = object(object(template.Globals, 'Globals').Function, 'Globals.Function');
const fn = properties(FUNCTION_ID);
const MAPPING_ID = 'ForwarderFunctionStream';
const kinesis = properties(MAPPING_ID);

const REQUIRED = {
  StreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
  ForwardUrl: 'https://in.example/e',
};
// Event source mapping settings a deployer sets as parameters, each named as its property.
const MAPPING_SETTINGS = [
  'StartingPosition',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'ParallelizationFactor',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
];
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';
const SIGNING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/signing-GhIjKl';
// What the receiver gets (docs/receivers.md): each parameter, the variable it sets, and the Config field it becomes.
const RECEIVER_SETTINGS: readonly [parameter: string, variable: string, field: keyof Config][] = [
  ['SigningSecretArn', 'FORWARD_SIGNING_SECRET_ARN', 'signingSecretId'],
  ['ForwardBody', 'FORWARD_BODY', 'body'],
  ['DataContentType', 'FORWARD_DATA_CONTENT_TYPE', 'dataContentType'],
  ['ForwardHeaders', 'FORWARD_HEADERS', 'headers'],
  ['BatchMaxRecords', 'FORWARD_BATCH_MAX_RECORDS', 'batchMaxRecords'],
  ['BatchMaxBytes', 'FORWARD_BATCH_MAX_BYTES', 'batchMaxBytes'],
  ['BatchFormat', 'FORWARD_BATCH_FORMAT', 'batchFormat'],
  ['ContentEncoding', 'FORWARD_CONTENT_ENCODING', 'contentEncoding'],
  ['Deaggregate', 'FORWARD_DEAGGREGATE', 'deaggregate'],
];
// The load on the receiver and duplicates (docs/operations.md), in the same form.
const LOAD_SETTINGS: readonly [parameter: string, variable: string, field: keyof Config][] = [
  ['Concurrency', 'FORWARD_CONCURRENCY', 'concurrency'],
  ['AdaptiveConcurrency', 'FORWARD_ADAPTIVE_CONCURRENCY', 'adaptiveConcurrency'],
  ['MaxRps', 'FORWARD_MAX_RPS', 'maxRps'],
  ['LedgerMode', 'FORWARD_LEDGER', 'ledger'],
];
const SETTINGS = [...RECEIVER_SETTINGS, ...LOAD_SETTINGS];
const LEDGER_TABLE = 'LedgerTable';
const IN_DYNAMODB = { LedgerMode: 'dynamodb' };
/** What a Ref to one of the stack's resources gives the function: the physical name CloudFormation made up. */
const physicalName = (id: string) => `forwarder-stack-${id}-1A2B3C4D5E6F`;
/** Every parameter at its default, with `overrides` (and the two required ones) set. */
const deployedWith = (overrides: Record<string, string> = {}) => {
  const values: Record<string, string> = { ...REQUIRED };
  for (const [name, definition] of Object.entries(parameters)) {
    const fallback = object(definition, name).Default;
    if (fallback !== undefined) values[name] = String(fallback);
  }
  return resolveWith(template, { ...values, ...overrides });
};

const variablesOf = (node: Json | undefined) =>
  object(object(object(node, 'Environment').Variables, 'Variables'), 'Variables') as Record<string, Json>;
const asVariable = (value: Json) =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? physicalName(String(value.Ref))
    : String(value);
const functionEnvironment = (resolve: ReturnType<typeof deployedWith>) =>
  Object.fromEntries(
    Object.entries({
      ...variablesOf(resolve(globals.Environment)),
      ...variablesOf(resolve(fn.Environment)),
    }).map(([name, value]) => [name, asVariable(value)]),
  );

const statements = (resolve: ReturnType<typeof deployedWith>) =>
  (resolve(properties('ForwarderRole').Policies) as JsonObject[]).flatMap(
    (policy) => object(policy.PolicyDocument, 'PolicyDocument').Statement as JsonObject[],
  );
const actionsOf = (statement: JsonObject) => [statement.Action].flat() as string[];

type Resolve = ReturnType<typeof deployedWith>;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, left as the template has it
const BUCKET_OBJECTS = '${FailedBatchBucket.Arn}/*';
const VARIANTS = { sqs: { OnFailureDestination: 'sqs' }, s3: { OnFailureDestination: 's3' } };
const holds = (resolve: Resolve, condition: Json | undefined) =>
  condition === undefined || resolve({ 'Fn::If': [condition, 'yes', 'no'] }) === 'yes';
/** The logical ids of the resources a deployment with these parameters creates. */
const deployedIds = (resolve: Resolve) =>
  new Set(Object.keys(resources).filter((id) => holds(resolve, resource(id).Condition)));
/** The resources a node names: Refs to resources, GetAtts, and `${Name}` or `${Name.Attribute}` left in strings. */
const namedResources = (node: Json | undefined): string[] =>
  [...walk(node ?? null)].flatMap((item) => {
    if (typeof item === 'string')
      return [...item.matchAll(/\$\{([\w]+)[\w.]*\}/g)].map((m) => m[1] as string);
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    if (typeof item.Ref === 'string' && item.Ref in resources) return [item.Ref];
    if (Array.isArray(item['Fn::GetAtt'])) return [String(item['Fn::GetAtt'][0])];
    return [];
  });

/**
 * DynamoDB on 127.0.0.1 (dynalite, in memory), a client of it, and the AWS variables that point the function's SDK at
 * it, set until `close`.
 */
const startDynamoDb = async () => {
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'not-a-real-key' };
  const variables = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  };
  Object.assign(process.env, variables);
  const client = new DynamoDBClient({ endpoint, region: variables.AWS_REGION, credentials });
  return {
    client,
    close: async () => {
      for (const name of Object.keys(variables)) delete process.env[name];
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

describe('template.yaml', () => {
  it('is a SAM template whose every Ref, GetAtt, Sub variable and condition names something defined', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    const defined = new Set([...Object.keys(parameters), ...Object.keys(resources)]);
    const conditions = new Set(Object.keys(object(template.Conditions, 'Conditions')));
    const undefinedNames: string[] = [];
    const check = (name: string, local: Set<string> = new Set()) => {
      if (!name.startsWith('AWS::') && !local.has(name) && !defined.has(name.split('.')[0] as string))
        undefinedNames.push(name);
    };
    for (const node of walk(template)) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      if (typeof node.Ref === 'string') check(node.Ref);
      if (Array.isArray(node['Fn::GetAtt'])) check(String(node['Fn::GetAtt'][0]));
      const sub = node['Fn::Sub'];
      if (sub !== undefined) {
        const [text, variables] = typeof sub === 'string' ? [sub] : (sub as Json[]);
        const local = new Set(Object.keys(object(variables ?? {}, 'Fn::Sub variables')));
        for (const [, name] of String(text).matchAll(/\$\{([\w:.]+)\}/g)) check(name as string, local);
      }
      if (Array.isArray(node['Fn::If']) && !conditions.has(String(node['Fn::If'][0])))
        undefinedNames.push(String(node['Fn::If'][0]));
      if (typeof node.Condition === 'string' && !conditions.has(node.Condition))
        undefinedNames.push(node.Condition);
    }
    expect(undefinedNames).toEqual([]);
  });

  it.each<[string, Record<string, string>]>([
    ['OnFailureDestination sqs', VARIANTS.sqs],
    ['OnFailureDestination s3', VARIANTS.s3],
    ...LEDGER_MODES.map((mode): [string, Record<string, string>] => [
      `LedgerMode ${mode}`,
      { LedgerMode: mode },
    ]),
  ])('with %s, names from every resource and output only resources that exist', (_deployment, overrides) => {
    const resolve = deployedWith(overrides);
    const deployed = deployedIds(resolve);
    const outputs = Object.values(object(template.Outputs, 'Outputs')).map((node) => object(node, 'Output'));
    const nodes = [
      ...[...deployed].map((id) => resolve(resource(id))),
      ...outputs.filter((output) => holds(resolve, output.Condition)).map((output) => resolve(output)),
    ];

    expect(nodes.flatMap(namedResources).filter((name) => !deployed.has(name))).toEqual([]);
  });

  const lintable = cfnLintOnPath();
  if (!lintable)
    console.warn(
      'cfn-lint is not on PATH: the cfn-lint test of template.yaml is SKIPPED (pip install cfn-lint)',
    );
  (lintable ? it : it.skip)(
    `lints clean with cfn-lint, informational checks included${lintable ? '' : ' [SKIPPED: cfn-lint not on PATH]'}`,
    async () => {
      const result = await runCfnLint('template.yaml', ['--include-checks', 'I']);

      expect(result).toEqual({ missing: false, code: 0, output: '' });
    },
    60_000,
  );

  describe('Globals', () => {
    it('run the function on Node.js 24, arm64, with active tracing and source maps', () => {
      expect(globals).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Tracing: 'Active' });
      const variables = functionEnvironment(deployedWith());
      expect(variables.NODE_OPTIONS).toContain('--enable-source-maps');
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('forwarder-stack');
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toMatch(/\w+/);
    });

    it('give the function the timeout npm run invoke uses by default, and room for a 6 MB batch', () => {
      expect(globals.Timeout).toBe(DEFAULT_TIMEOUT_SECONDS);
      expect(globals.MemorySize).toBeGreaterThanOrEqual(512);
    });
  });

  describe('Parameters', () => {
    it.each([
      'StreamArn',
      'ForwardUrl',
      'AuthSecretArn',
      ...MAPPING_SETTINGS,
      'OrderingMode',
      'AlarmEmail',
      'FilterPattern',
      'OnFailureDestination',
      'FailedBatchRetentionInDays',
      'LogLevel',
      ...SETTINGS.map(([parameter]) => parameter),
    ])('include %s, described', (name) => {
      expect(object(parameters[name], name).Description).toEqual(expect.stringMatching(/\w{3,}.*\w{3,}/));
    });

    it.each(Object.keys(parameters))(
      '%s has a default that its own constraints accept, or is required',
      (name) => {
        const { Default, AllowedValues, AllowedPattern, MinValue, MaxValue, Description } = object(
          parameters[name],
          name,
        );
        expect(Description).toBeDefined();
        if (Default === undefined) {
          expect(Object.keys(REQUIRED)).toContain(name);
          return;
        }
        if (AllowedValues !== undefined) expect(AllowedValues).toContain(Default);
        if (AllowedPattern !== undefined) expect(String(Default)).toMatch(new RegExp(String(AllowedPattern)));
        if (MinValue !== undefined) expect(Number(Default)).toBeGreaterThanOrEqual(Number(MinValue));
        if (MaxValue !== undefined) expect(Number(Default)).toBeLessThanOrEqual(Number(MaxValue));
      },
    );

    it('accept a stream ARN and an http(s) URL, and refuse what is neither', () => {
      const pattern = (name: string) => new RegExp(String(object(parameters[name], name).AllowedPattern));

      expect(REQUIRED.StreamArn).toMatch(pattern('StreamArn'));
      expect('arn:aws:sqs:eu-west-1:123456789012:events').not.toMatch(pattern('StreamArn'));
      expect(REQUIRED.ForwardUrl).toMatch(pattern('ForwardUrl'));
      expect('ftp://in.example/e').not.toMatch(pattern('ForwardUrl'));
      expect(SECRET_ARN).toMatch(pattern('AuthSecretArn'));
      expect('forwarder/token').not.toMatch(pattern('AuthSecretArn'));
    });

    it('accept for MaximumRecordAgeInSeconds exactly what Lambda does: -1, or 60 to 604800', () => {
      const definition = object(parameters.MaximumRecordAgeInSeconds, 'MaximumRecordAgeInSeconds');
      const pattern = new RegExp(String(definition.AllowedPattern));
      const lambdaAccepts = (seconds: number) => seconds === -1 || (seconds >= 60 && seconds <= 604_800);

      // CloudFormation checks an AllowedPattern on String parameters only.
      expect(definition.Type).toBe('String');
      expect(['-1', '60', '604800'].filter((value) => !pattern.test(value))).toEqual([]);
      expect(
        ['0', '59', '604801', '-2', '', '060', '-0', '6e1', ' 60', '60.0'].filter((value) =>
          pattern.test(value),
        ),
      ).toEqual([]);
      const disagreements: number[] = [];
      for (let seconds = -5; seconds <= 700_000; seconds += 1)
        if (pattern.test(String(seconds)) !== lambdaAccepts(seconds)) disagreements.push(seconds);
      expect(disagreements).toEqual([]);
    });

    it('read the same to a YAML 1.1 parser, such as SAM CLI’s, to which a bare off, yes or true is a boolean', () => {
      const yaml11 = parse(readRepoFile('template.yaml'), {
        version: '1.1',
        logLevel: 'silent',
      }) as JsonObject;

      expect(yaml11.Parameters).toEqual(parameters);
    });

    it('offer exactly the ordering modes the function knows', () => {
      expect(object(parameters.OrderingMode, 'OrderingMode').AllowedValues).toEqual([...ORDERING_MODES]);
    });

    it('are each in the Deploy table of docs/deploy.md, with the default the template gives them', () => {
      const lines = readRepoFile('docs/deploy.md').split('\n');
      const header = lines.findIndex((line) => /^\| parameter +\|/.test(line));
      const end = lines.findIndex((line, index) => index > header && !line.startsWith('|'));
      const rows = lines.slice(header + 2, end).map((line) =>
        line
          .slice(1, -1)
          .split(' | ')
          .map((cell) => cell.trim()),
      );
      // `value` is that default; "empty: ..." an empty one; "-" none (required).
      const documented = rows.map(([name = '', , fallback = '']) => [
        name.replace(/`/g, ''),
        fallback.startsWith('empty') ? '' : fallback === '-' ? undefined : fallback.replace(/^`(.*)`$/, '$1'),
      ]);
      const declared = Object.keys(parameters).map((name) => {
        const fallback = object(parameters[name], name).Default;
        return [name, fallback === undefined ? undefined : String(fallback)];
      });

      expect(header).toBeGreaterThan(0);
      expect(documented).toEqual(declared);
    });

    it('of what the receiver gets are declared, and named in docs/receivers.md', () => {
      const page = readRepoFile('docs/receivers.md');
      const names = RECEIVER_SETTINGS.map(([parameter]) => parameter);

      expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
      expect(names.filter((name) => parameters[name] === undefined)).toEqual([]);
    });

    it('put every parameter in exactly one of the console’s parameter groups', () => {
      const interfaceMetadata = object(
        object(template.Metadata, 'Metadata')['AWS::CloudFormation::Interface'],
        'AWS::CloudFormation::Interface',
      );
      const grouped = (interfaceMetadata.ParameterGroups as JsonObject[]).flatMap(
        (group) => group.Parameters as string[],
      );

      expect([...grouped].sort()).toEqual(Object.keys(parameters).sort());
    });

    describe('of what the receiver gets, the load on it and duplicates', () => {
      const KEY = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      /** Whether CloudFormation takes `value` for a String parameter: its AllowedValues, and its AllowedPattern. */
      const templateAccepts = (name: string, value: string) => {
        const { AllowedValues, AllowedPattern } = object(parameters[name], name);
        return (
          (AllowedValues === undefined || (AllowedValues as Json[]).map(String).includes(value)) &&
          (AllowedPattern === undefined || new RegExp(String(AllowedPattern)).test(value))
        );
      };
      const configWith = (overrides: Record<string, string>) =>
        parseConfig(functionEnvironment(deployedWith(overrides)));
      const variableOf = (name: string) => {
        const setting = SETTINGS.find(([parameter]) => parameter === name);
        if (!setting) throw new Error(`${name} sets no FORWARD_* variable`);
        return setting[1];
      };

      it.each(SETTINGS.map(([parameter]) => parameter))(
        '%s is a String, whose constraints CloudFormation checks',
        (name) => {
          const definition = object(parameters[name], name);

          expect(definition.Type).toBe('String');
          expect(definition.AllowedValues ?? definition.AllowedPattern).toBeDefined();
        },
      );

      it.each([
        [
          'SigningSecretArn',
          [
            '',
            SIGNING_SECRET_ARN,
            'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:s-AbCdEf',
          ],
          // A name (the role is granted a full ARN), the secret itself pasted by mistake, another service's ARN.
          ['forwarder/signing', KEY, 'arn:aws:ssm:eu-west-1:123456789012:parameter/signing'],
        ],
        ['ForwardBody', ['kinesis', 'data', 'record'], ['', 'Kinesis', 'raw']],
        [
          'DataContentType',
          [
            'application/octet-stream',
            'text/plain; charset=utf-8',
            'text/plain;charset="utf-8"',
            'application/vnd.api+json',
          ],
          ['', 'text', 'text/plain; charset', 'text/plain, text/html', 'text/plain\r\nX-Injected: 1'],
        ],
        [
          'ForwardHeaders',
          ['', '{}', '{"X-Source": "kinesis"}', '{\n  "X-Source": "kinesis",\n  "X-Api-Key": "k-1"\n}'],
          ['[]', 'null', '"kinesis"', 'X-Source: kinesis'],
        ],
        ['BatchMaxRecords', ['1', '2', '500', '9999', '10000'], ['', '0', '10001', '-1', '2.5', '1e3', '01']],
        [
          'BatchMaxBytes',
          ['1024', '65536', '1048576', '6291456'],
          ['', '1023', '6291457', '1.5e6', '1 MB', '01024'],
        ],
        ['BatchFormat', ['json', 'ndjson'], ['', 'JSON', 'jsonl']],
        ['ContentEncoding', ['identity', 'gzip'], ['', 'deflate', 'br']],
        ['Deaggregate', ['false', 'true'], ['', 'yes', 'True']],
        ['Concurrency', ['1', '10', '64', '1000'], ['', '0', '1001', '-1', '2.5', '1e2', '010']],
        ['AdaptiveConcurrency', ['true', 'false'], ['', '1', 'yes', 'TRUE']],
        [
          'MaxRps',
          ['', '1', '2.5', '0.5', '0.001', '50', '99999.9', '100000', '100000.0'],
          ['0', '0.0', '-1', '100000.1', '100001', '1e3', '.5', '5.', ' 5', '50 rps', '050'],
        ],
        ['LedgerMode', ['memory', 'dynamodb', 'off'], ['', 'false', 'DynamoDB', 'redis']],
      ])('%s takes values the function accepts and refuses others', (name, valid, invalid) => {
        expect(valid.filter((value) => !templateAccepts(name, value))).toEqual([]);
        expect(invalid.filter((value) => templateAccepts(name, value))).toEqual([]);
        for (const value of valid) expect(() => configWith({ [name]: value })).not.toThrow();
      });

      it.each([
        ['BatchMaxRecords', 'batchMaxRecords', 1, 10_000],
        ['BatchMaxBytes', 'batchMaxBytes', 1024, 6_291_456],
        ['Concurrency', 'concurrency', 1, 1000],
      ] as const)(
        '%s (%s) takes every whole number from %d to %d, as the function does, and no other',
        (...row) => {
          const [name, field, min, max] = row;
          // Every number near the bounds and below 20,000, and a stride through the rest.
          const candidates = new Set<number>();
          for (let n = -3; n <= 20_000; n += 1) candidates.add(n);
          for (let n = max - 20_000; n <= max + 20_000; n += 1) candidates.add(n);
          for (let n = 0; n <= 7_000_000; n += 997) candidates.add(n);

          const wrong = [...candidates].filter(
            (n) => templateAccepts(name, String(n)) !== (n >= min && n <= max),
          );

          expect(wrong).toEqual([]);
          expect([min, max].map((n) => configWith({ [name]: String(n) })[field])).toEqual([min, max]);
          for (const outside of [min - 1, max + 1])
            expect(() => configWith({ [name]: String(outside) })).toThrow(variableOf(name));
        },
      );

      it.each([
        ['ForwardBody', 'body', [...BODY_MODES]],
        ['BatchFormat', 'batchFormat', [...BATCH_FORMATS]],
        ['ContentEncoding', 'contentEncoding', ['identity', 'gzip']],
        ['LedgerMode', 'ledger', [...LEDGER_MODES]],
      ] as const)('%s offers exactly the values the function knows, each becoming %s', (...row) => {
        const [name, field, known] = row;
        const offered = object(parameters[name], name).AllowedValues as string[];

        expect([...offered].sort()).toEqual([...known].sort());
        expect(offered.map((value) => configWith({ [name]: value })[field])).toEqual(offered);
      });

      it('AdaptiveConcurrency turns the adaptive limit on with true and off with false', () => {
        expect(['true', 'false'].map((value) => configWith({ AdaptiveConcurrency: value }))).toMatchObject([
          { adaptiveConcurrency: true },
          { adaptiveConcurrency: false },
        ]);
      });

      it('MaxRps takes a rate exactly when the function does, as the same number, leading zeros aside', () => {
        // Whole numbers near the bounds and through the range, and fractions around them.
        const candidates = new Set([
          '',
          '0',
          '00',
          '0.',
          '.5',
          '1.',
          '1e2',
          '0x10',
          '+5',
          '-0.5',
          '1,5',
          'NaN',
        ]);
        for (let n = 0; n <= 1200; n += 1) candidates.add(String(n));
        for (let n = 99_000; n <= 101_000; n += 1) candidates.add(String(n));
        for (let n = 0; n <= 1_000_000; n += 7919) candidates.add(String(n));
        for (const whole of ['0', '1', '9', '10', '99999', '100000', '100001'])
          for (const fraction of ['0', '00', '000', '01', '1', '5', '9', '999', '0001'])
            candidates.add(`${whole}.${fraction}`);
        const functionAccepts = (value: string) => {
          try {
            return configWith({ MaxRps: value }).maxRps === (value === '' ? undefined : Number(value));
          } catch {
            return false;
          }
        };
        const leadingZero = (value: string) => /^0\d/.test(value);

        const wrong = [...candidates].filter(
          (value) => templateAccepts('MaxRps', value) !== (functionAccepts(value) && !leadingZero(value)),
        );

        expect(wrong).toEqual([]);
        expect(() => configWith({ MaxRps: '0' })).toThrow('FORWARD_MAX_RPS');
      });
    });
  });

  describe('the function', () => {
    it('is built by esbuild from src/handler.ts like npm run build, with the AWS SDK left to the runtime', () => {
      const metadata = object(resource(FUNCTION_ID).Metadata, 'Metadata');
      expect(metadata.BuildMethod).toBe('esbuild');
      expect(metadata.BuildProperties).toMatchObject({
        EntryPoints: ['src/handler.ts'],
        External: ['@aws-sdk/*'],
        Target: 'node24',
        Format: 'cjs',
        Minify: true,
        Sourcemap: true,
      });
      // One entry point is bundled to handler.js at the root of the artifact, as in dist/function.zip.
      expect(fn.Handler).toBe('handler.handler');
      expect(LAMBDA_BUILD).toMatchObject({ external: ['@aws-sdk/*'], target: 'node24', format: 'cjs' });
    });

    it('gets an environment the function accepts, ordering and secret from the parameters', () => {
      const plain = parseConfig(functionEnvironment(deployedWith()));
      const withSecret = parseConfig(
        functionEnvironment(deployedWith({ AuthSecretArn: SECRET_ARN, OrderingMode: 'shard' })),
      );

      expect(plain).toMatchObject({
        url: REQUIRED.ForwardUrl,
        ordering: 'partition-key',
        authSecretId: undefined,
      });
      expect(withSecret).toMatchObject({ ordering: 'shard', authSecretId: SECRET_ARN, authToken: undefined });
    });

    it.each([
      ['receiver', RECEIVER_SETTINGS, ['FORWARD_SIGNING_SECRET_ARN', 'FORWARD_HEADERS']],
      ['load', LOAD_SETTINGS, ['FORWARD_MAX_RPS', 'FORWARD_LEDGER_TABLE']],
    ] as const)(
      'at the %s parameters’ defaults, is configured as if none of their variables were set',
      (_kind, settings, unset) => {
        const environment = functionEnvironment(deployedWith());
        const variables = new Set(settings.map(([, variable]) => variable));
        const without = Object.fromEntries(
          Object.entries(environment).filter(([name]) => !variables.has(name)),
        );

        expect(parseConfig(environment)).toEqual(parseConfig(without));
        expect(unset.filter((name) => name in environment)).toEqual([]);
      },
    );

    it('gets each receiver parameter in its variable, and the function reads what the deployer chose', () => {
      const headers = { 'X-Source': 'kinesis', 'X-Api-Key': 'k-1' };
      const chosen = {
        SigningSecretArn: SIGNING_SECRET_ARN,
        ForwardBody: 'data',
        DataContentType: 'text/plain; charset=utf-8',
        ForwardHeaders: JSON.stringify(headers),
        BatchMaxRecords: '500',
        BatchMaxBytes: '262144',
        BatchFormat: 'ndjson',
        ContentEncoding: 'gzip',
        Deaggregate: 'true',
      };
      const environment = functionEnvironment(deployedWith(chosen));

      expect(RECEIVER_SETTINGS.map(([, variable]) => [variable, environment[variable]])).toEqual(
        RECEIVER_SETTINGS.map(([parameter, variable]) => [
          variable,
          chosen[parameter as keyof typeof chosen],
        ]),
      );
      expect(parseConfig(environment)).toMatchObject({
        signingSecretId: SIGNING_SECRET_ARN,
        signingSecrets: [],
        body: 'data',
        dataContentType: 'text/plain; charset=utf-8',
        headers,
        batchMaxRecords: 500,
        batchMaxBytes: 262_144,
        batchFormat: 'ndjson',
        contentEncoding: 'gzip',
        deaggregate: true,
      });
    });

    it('gets each load parameter in its variable, and the function reads what the deployer chose', () => {
      const chosen = {
        Concurrency: '32',
        AdaptiveConcurrency: 'false',
        MaxRps: '2.5',
        LedgerMode: 'dynamodb',
      };
      const environment = functionEnvironment(deployedWith(chosen));

      expect(LOAD_SETTINGS.map(([, variable]) => [variable, environment[variable]])).toEqual(
        LOAD_SETTINGS.map(([parameter, variable]) => [variable, chosen[parameter as keyof typeof chosen]]),
      );
      expect(parseConfig(environment)).toMatchObject({
        concurrency: 32,
        adaptiveConcurrency: false,
        maxRps: 2.5,
        ledger: 'dynamodb',
        ledgerTable: physicalName(LEDGER_TABLE),
      });
    });

    it('is never given a secret itself, only the ARNs of Secrets Manager secrets', () => {
      const everything = functionEnvironment(
        deployedWith({
          AuthSecretArn: SECRET_ARN,
          SigningSecretArn: SIGNING_SECRET_ARN,
          ForwardHeaders: '{"X-Source": "kinesis"}',
        }),
      );

      expect(
        ['FORWARD_AUTH_TOKEN', 'LISTENER_AUTH_TOKEN', 'FORWARD_SIGNING_SECRET'].filter(
          (name) => name in everything,
        ),
      ).toEqual([]);
      expect(parseConfig(everything)).toMatchObject({
        authToken: undefined,
        authSecretId: SECRET_ARN,
        signingSecrets: [],
        signingSecretId: SIGNING_SECRET_ARN,
      });
    });

    it('gets ForwardHeaders, which is NoEcho, in its environment only (NoEcho masks no output or metadata)', () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
      const SUB = '${ForwardHeaders}';
      /** How often a node refers to ForwardHeaders, by Ref or in a Sub. */
      const mentions = (node: Json | undefined) =>
        [...walk(node ?? null)].filter((item) =>
          typeof item === 'string'
            ? item.includes(SUB)
            : typeof item === 'object' &&
              item !== null &&
              !Array.isArray(item) &&
              item.Ref === 'ForwardHeaders',
        ).length;

      expect(object(parameters.ForwardHeaders, 'ForwardHeaders').NoEcho).toBe(true);
      expect([mentions(template.Outputs), mentions(template.Metadata)]).toEqual([0, 0]);
      expect(
        Object.keys(resources)
          .map((id) => [id, mentions(resource(id))])
          .filter(([, count]) => count !== 0),
      ).toEqual([[FUNCTION_ID, 1]]);
      expect(mentions(fn.Environment)).toBe(1);
    });

    it('writes to its own log group, which has a retention', () => {
      expect(object(fn.LoggingConfig, 'LoggingConfig').LogGroup).toEqual({ Ref: 'ForwarderLogGroup' });
      expect(resource('ForwarderLogGroup').Type).toBe('AWS::Logs::LogGroup');
      expect(deployedWith()(properties('ForwarderLogGroup').RetentionInDays)).toBe('30');
    });

    it('has Lambda write its own lines (START, REPORT, Invoke Error) as JSON, like the function’s', () => {
      expect(object(fn.LoggingConfig, 'LoggingConfig')).toMatchObject({
        LogFormat: 'JSON',
        SystemLogLevel: 'INFO',
      });
    });

    /** The level Lambda's application log filter applies: ApplicationLogLevel, INFO by default in JSON format. */
    const lambdaLogLevel = (resolve: Resolve) => {
      const logging = object(resolve(fn.LoggingConfig), 'LoggingConfig');
      return logging.LogFormat === 'JSON' ? String(logging.ApplicationLogLevel ?? 'INFO') : undefined;
    };

    it.each(object(parameters.LogLevel, 'LogLevel').AllowedValues as string[])(
      'at LogLevel %s, gives Powertools and Lambda’s log filter the same level',
      (level) => {
        const resolve = deployedWith({ LogLevel: level });

        expect([functionEnvironment(resolve).POWERTOOLS_LOG_LEVEL, lambdaLogLevel(resolve)]).toEqual([
          level,
          level,
        ]);
      },
    );

    it('at LogLevel DEBUG, writes its debug lines as JSON under Lambda’s log level, with no level conflict', async () => {
      // Arrange: the function's environment as deployed, and the variable Lambda sets from ApplicationLogLevel.
      const resolve = deployedWith({ LogLevel: 'DEBUG' });
      const receiver = await startReceiver();
      const { NODE_OPTIONS: _unused, ...environment } = functionEnvironment(resolve);
      const filterLevel = lambdaLogLevel(resolve);
      if (filterLevel !== undefined) process.env.AWS_LAMBDA_LOG_LEVEL = filterLevel;
      try {
        const handler = loadHandler({ ...environment, FORWARD_URL: receiver.url });

        // Act
        const output = await captureOutputOf(() =>
          handler(kinesisEvent([kinesisRecord()]), createLambdaContext({ timeoutMs: 30_000 })),
        );

        // Assert
        const lines = output
          .text()
          .split('\n')
          .filter((line) => line.trim() !== '');
        expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
        const levels = lines.map((line) => (JSON.parse(line) as { level?: string }).level);
        expect(levels).toContain('DEBUG');
        expect(output.text()).not.toContain('Advanced Logging Controls');
      } finally {
        delete process.env.AWS_LAMBDA_LOG_LEVEL;
        await receiver.close();
      }
    });
  });

  describe('what is kept when the stack is deleted or a resource replaced', () => {
    const STATEFUL = ['AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::S3::Bucket'];

    it('is not the ledger’s table, a cache of an hour: it goes with the stack', () => {
      expect([resource(LEDGER_TABLE).DeletionPolicy, resource(LEDGER_TABLE).UpdateReplacePolicy]).toEqual([
        'Delete',
        'Delete',
      ]);
    });

    it('is every log group, queue and bucket, the on-failure destinations among them', () => {
      const stateful = Object.keys(resources).filter((id) => STATEFUL.includes(String(resource(id).Type)));

      expect(stateful.sort()).toEqual(['FailedBatchBucket', 'FailedBatchQueue', 'ForwarderLogGroup']);
      for (const id of stateful)
        expect([id, resource(id).DeletionPolicy, resource(id).UpdateReplacePolicy]).toEqual([
          id,
          'Retain',
          'Retain',
        ]);
    });
  });

  describe('the delivery ledger’s table', () => {
    const table = object(deployedWith(IN_DYNAMODB)(properties(LEDGER_TABLE)), LEDGER_TABLE);

    it.each(LEDGER_MODES)(
      'with LedgerMode %s, exists and is named in FORWARD_LEDGER_TABLE and an output only for dynamodb',
      (mode) => {
        const resolve = deployedWith({ LedgerMode: mode });
        const variables = variablesOf(resolve(fn.Environment));
        const output = object(object(template.Outputs, 'Outputs').LedgerTableName, 'LedgerTableName');
        const expected = mode === 'dynamodb';

        expect([
          deployedIds(resolve).has(LEDGER_TABLE),
          variables.FORWARD_LEDGER_TABLE,
          holds(resolve, output.Condition),
        ]).toEqual(expected ? [true, { Ref: LEDGER_TABLE }, true] : [false, undefined, false]);
        expect(variables.FORWARD_LEDGER).toBe(mode);
        expect(output.Value).toEqual({ Ref: LEDGER_TABLE });
      },
    );

    it('is on demand, keyed by the string pk, encrypted, and lets DynamoDB expire items by their ttl', () => {
      expect(resource(LEDGER_TABLE).Type).toBe('AWS::DynamoDB::Table');
      expect(table).toEqual({
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('holds what the function writes: a record delivered before Lambda sends its batch again is not sent twice', async () => {
      // Arrange: the table as the template declares it, in dynalite, and the function as deployed with it.
      const dynamodb = await startDynamoDb();
      const receiver = await startReceiver();
      try {
        const { AttributeDefinitions, KeySchema, BillingMode } = table as unknown as CreateTableCommandInput;
        await dynamodb.client.send(
          new CreateTableCommand({
            TableName: physicalName(LEDGER_TABLE),
            AttributeDefinitions,
            KeySchema,
            BillingMode,
          }),
        );
        const { NODE_OPTIONS: _unused, ...environment } = functionEnvironment(deployedWith(IN_DYNAMODB));
        const handler = loadHandler({
          ...environment,
          FORWARD_URL: receiver.url,
          FORWARD_MAX_ATTEMPTS: '1',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
        });
        const context = () => createLambdaContext({ timeoutMs: 30_000 });
        const refused = kinesisRecord({ partitionKey: 'refused-once' });
        const delivered = kinesisRecord({ partitionKey: 'delivered' });
        const keysSent = () => receiver.requests.map((request) => JSON.parse(request.body).partitionKey);
        receiver.respond = (request) => ({
          status: JSON.parse(request.body).partitionKey === 'refused-once' ? 500 : 200,
        });

        // Act: a partial failure, then the batch again from its failed record, as Lambda resends it.
        const first = await handler(kinesisEvent([refused, delivered]), context());
        const sentFirst = keysSent();
        receiver.respond = () => ({ status: 200 });
        const second = await handler(kinesisEvent([refused, delivered]), context());

        // Assert
        expect(first.batchItemFailures).toEqual([{ itemIdentifier: refused.kinesis.sequenceNumber }]);
        expect(sentFirst.sort()).toEqual(['delivered', 'refused-once']);
        expect(second.batchItemFailures).toEqual([]);
        expect(keysSent().slice(sentFirst.length)).toEqual(['refused-once']);
        const { Items = [] } = await dynamodb.client.send(
          new ScanCommand({ TableName: physicalName(LEDGER_TABLE) }),
        );
        const ttlAttribute = String(object(table.TimeToLiveSpecification, 'TTL').AttributeName);
        expect(Items.map((item) => Object.keys(item).sort())).toEqual([['ids', 'pk', ttlAttribute].sort()]);
        expect(Number(Items[0]?.[ttlAttribute]?.N)).toBeGreaterThan(Date.now() / 1000);
      } finally {
        await receiver.close();
        await dynamodb.close();
      }
    });
  });

  describe('the Kinesis event source', () => {
    it('is one mapping of the stream to the function, declared in the template, not by SAM', () => {
      expect(fn.Events).toBeUndefined();
      expect(resource(MAPPING_ID).Type).toBe('AWS::Lambda::EventSourceMapping');
      expect(deployedWith()(kinesis)).toMatchObject({
        FunctionName: { Ref: FUNCTION_ID },
        EventSourceArn: REQUIRED.StreamArn,
      });
    });

    it('reports batch item failures, bisects failing batches and gives up as the parameters say', () => {
      const resolved = object(deployedWith({ MaximumRetryAttempts: '12' })(kinesis), 'kinesis');

      expect(resolved).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: '12',
      });
    });

    it.each([
      ['sqs', 'FailedBatchQueue', 'AWS::SQS::Queue', 'FailedBatchBucket'],
      ['s3', 'FailedBatchBucket', 'AWS::S3::Bucket', 'FailedBatchQueue'],
    ])(
      'with OnFailureDestination %s, sends what it gives up on to %s, and the other does not exist',
      (...row) => {
        const [variant, chosen, type, other] = row;
        const resolve = deployedWith({ OnFailureDestination: variant });

        expect(object(resolve(kinesis), 'kinesis').DestinationConfig).toEqual({
          OnFailure: { Destination: { 'Fn::GetAtt': [chosen, 'Arn'] } },
        });
        expect(resource(chosen).Type).toBe(type);
        expect([deployedIds(resolve).has(chosen), deployedIds(resolve).has(other)]).toEqual([true, false]);
      },
    );

    it('publishes its event counts (polled, filtered out, dropped, sent to the destination)', () => {
      expect(kinesis.MetricsConfig).toEqual({ Metrics: ['EventCount'] });
    });

    it.each(MAPPING_SETTINGS)('takes %s from the parameter of that name', (name) => {
      expect(kinesis[name]).toEqual({ Ref: name });
    });

    it('filters on the record data only when a pattern is given', () => {
      const none = object(deployedWith()(kinesis), 'kinesis');
      const some = object(
        deployedWith({ FilterPattern: '{"type": ["member-registered"]}' })(kinesis),
        'kinesis',
      );

      expect(none.FilterCriteria).toBeUndefined();
      const [filter] = object(some.FilterCriteria, 'FilterCriteria').Filters as JsonObject[];
      expect(JSON.parse(String(filter?.Pattern))).toEqual({ data: { type: ['member-registered'] } });
    });

    it('warns, where FilterPattern is described, that a pattern silently drops every record that is not JSON', () => {
      const description = String(object(parameters.FilterPattern, 'FilterPattern').Description);

      expect(description).toMatch(/not JSON/);
      expect(description).toMatch(/dropped[^.]*silently/);
    });
  });

  describe('the on-failure bucket', () => {
    const resolve = deployedWith(VARIANTS.s3);
    const bucket = object(resolve(properties('FailedBatchBucket')), 'FailedBatchBucket');

    it('is encrypted, never public, and keeps a failed batch as long as FailedBatchRetentionInDays says', () => {
      expect(bucket.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const rules = object(bucket.LifecycleConfiguration, 'LifecycleConfiguration').Rules as JsonObject[];
      const expiring = rules.filter(
        (rule) => rule.Status === 'Enabled' && rule.ExpirationInDays !== undefined,
      );
      expect(expiring.map((rule) => rule.ExpirationInDays)).toEqual(['90']);
      const longer = deployedWith({ ...VARIANTS.s3, FailedBatchRetentionInDays: '365' })(
        properties('FailedBatchBucket'),
      );
      expect(JSON.stringify(longer)).toContain('"ExpirationInDays":"365"');
    });

    it('refuses every request that does not come over TLS', () => {
      const policy = object(resolve(properties('FailedBatchBucketPolicy')), 'FailedBatchBucketPolicy');
      const [statement, ...others] = object(policy.PolicyDocument, 'PolicyDocument')
        .Statement as JsonObject[];

      expect(resource('FailedBatchBucketPolicy').Condition).toBe(resource('FailedBatchBucket').Condition);
      expect(policy.Bucket).toEqual({ Ref: 'FailedBatchBucket' });
      expect(others).toEqual([]);
      expect(statement).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['FailedBatchBucket', 'Arn'] }, BUCKET_OBJECTS],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });
  });

  describe('the role', () => {
    /** The statements that read from Secrets Manager. */
    const reads = (resolve: Resolve) =>
      statements(resolve).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));

    it('is the function’s own, with no managed policies', () => {
      expect(fn.Role).toEqual({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] });
      expect(fn.Policies).toBeUndefined();
      expect(properties('ForwarderRole').ManagedPolicyArns).toBeUndefined();
    });

    it('reads that stream, writes that log group, and nothing wider', () => {
      for (const variant of Object.values(VARIANTS)) {
        const granted = statements(deployedWith(variant));

        expect(granted.every((s) => s.Effect === 'Allow')).toBe(true);
        const kinesisStatements = granted.filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
        expect(kinesisStatements.map((s) => s.Resource)).toEqual([REQUIRED.StreamArn]);
        expect(
          kinesisStatements.flatMap(actionsOf).every((a) => /^kinesis:(Describe|Get|List)/.test(a)),
        ).toBe(true);
        expect(
          granted.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:'))).map((s) => s.Resource),
        ).toEqual([{ 'Fn::GetAtt': ['ForwarderLogGroup', 'Arn'] }]);
        // Only X-Ray's write actions, which take no resource, are granted on "*".
        const wildcard = granted.filter((s) => s.Resource === '*').flatMap(actionsOf);
        expect(wildcard.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        expect(granted.flatMap(actionsOf).every((a) => !a.includes('*'))).toBe(true);
      }
    });

    it.each([
      [
        'sqs',
        [
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': ['FailedBatchQueue', 'Arn'] },
          },
        ],
      ],
      [
        's3',
        [
          { Effect: 'Allow', Action: 's3:PutObject', Resource: BUCKET_OBJECTS },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': ['FailedBatchBucket', 'Arn'] },
          },
        ],
      ],
    ])('with OnFailureDestination %s, may write to that destination only', (variant, expected) => {
      const granted = statements(deployedWith({ OnFailureDestination: variant }));

      expect(granted.filter((s) => actionsOf(s).some((a) => /^(sqs|s3|sns):/.test(a)))).toEqual(expected);
    });

    it('reads the token secret only when one is given, and only that one', () => {
      expect(reads(deployedWith())).toEqual([]);
      expect(reads(deployedWith({ AuthSecretArn: SECRET_ARN }))).toEqual([
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
      ]);
    });

    it('reads the signing secret only when one is given, and only that one', () => {
      const read = (arn: string) => ({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: arn,
      });

      expect(reads(deployedWith({ SigningSecretArn: '' }))).toEqual([]);
      expect(reads(deployedWith({ SigningSecretArn: SIGNING_SECRET_ARN }))).toEqual([
        read(SIGNING_SECRET_ARN),
      ]);
      expect(
        reads(deployedWith({ AuthSecretArn: SECRET_ARN, SigningSecretArn: SIGNING_SECRET_ARN })),
      ).toEqual([read(SECRET_ARN), read(SIGNING_SECRET_ARN)]);
    });

    it.each(LEDGER_MODES)(
      'with LedgerMode %s, may read and write items of the ledger’s table only for dynamodb',
      (mode) => {
        const granted = statements(deployedWith({ LedgerMode: mode })).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('dynamodb:')),
        );

        expect(granted).toEqual(
          mode === 'dynamodb'
            ? [
                {
                  Effect: 'Allow',
                  Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
                  Resource: { 'Fn::GetAtt': [LEDGER_TABLE, 'Arn'] },
                },
              ]
            : [],
        );
      },
    );
  });

  describe('alarms', () => {
    const alarms = Object.keys(resources).filter((id) => resource(id).Type === 'AWS::CloudWatch::Alarm');
    const alarmOn = (metric: string) => {
      const found = alarms.find((id) => properties(id).MetricName === metric);
      if (!found) throw new Error(`no alarm on ${metric}`);
      return properties(found);
    };
    const MAPPING = { Ref: MAPPING_ID };
    const FUNCTION = { Ref: FUNCTION_ID };
    // What Lambda gave up on, as counts: an alarm per kind of loss.
    const GIVEN_UP = [
      'OnFailureDestinationDeliveredEventCount',
      'DroppedEventCount',
      'DestinationDeliveryFailures',
    ];

    it.each([
      ['IteratorAge', 'FunctionName', FUNCTION],
      ['Errors', 'FunctionName', FUNCTION],
      ['Throttles', 'FunctionName', FUNCTION],
      ['OnFailureDestinationDeliveredEventCount', 'EventSourceMappingUUID', MAPPING],
      ['DroppedEventCount', 'EventSourceMappingUUID', MAPPING],
      ['DestinationDeliveryFailures', 'FunctionName', FUNCTION],
    ])(
      'watch %s of the function or its trigger, in every deployment, and notify the alarm topic',
      (...row) => {
        const [metric, dimension, value] = row;
        const alarm = alarmOn(metric);

        expect(alarm).toMatchObject({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: dimension, Value: value }],
        });
        expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
        expect(String(alarm.AlarmDescription).length).toBeGreaterThan(40);
        expect(
          alarms.filter((id) => properties(id).MetricName === metric).map((id) => resource(id).Condition),
        ).toEqual([undefined]);
      },
    );

    it.each(GIVEN_UP)(
      'on %s fire again for every new failed batch, not once while it stays in alarm',
      (metric) => {
        const alarm = alarmOn(metric);

        // A Sum of a count over one short period: a minute without a new failure takes the alarm back to OK, so the
        // next failure is a new transition to ALARM, and a new notification.
        expect(alarm).toMatchObject({
          Statistic: 'Sum',
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
        expect(alarm.Period).toBeLessThanOrEqual(60);
        expect(alarm.DatapointsToAlarm ?? 1).toBe(1);
        expect(alarm.OKActions).toBeUndefined();
      },
    );

    it('watch no level that stays up while failed batches wait, such as the queue’s depth', () => {
      const levels = alarms.filter((id) => /^Approximate/.test(String(properties(id).MetricName)));

      expect(levels).toEqual([]);
    });

    it('reach an e-mail address only when one is given', () => {
      const subscription = resource('AlarmEmailSubscription');

      expect(resource('AlarmTopic').Type).toBe('AWS::SNS::Topic');
      expect(subscription.Condition).toBe('HasAlarmEmail');
      expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } });
      expect(deployedWith()({ 'Fn::If': ['HasAlarmEmail', 'yes', 'no'] })).toBe('no');
      expect(
        deployedWith({ AlarmEmail: 'ops@example.org' })({ 'Fn::If': ['HasAlarmEmail', 'yes', 'no'] }),
      ).toBe('yes');
    });
  });

  describe('the dashboard', () => {
    type Widget = { properties: { metrics?: Json[][]; alarms?: string[] } };
    /** The dashboard as deployed; `${Name}` and `${Name.Attribute}` of resources are left as `Name`, `Name.Attribute`. */
    const body = (variant: Record<string, string> = VARIANTS.sqs) => {
      const text = deployedWith(variant)(properties('ForwarderDashboard').DashboardBody);
      return JSON.parse(String(text).replace(/\$\{([\w.:]+)\}/g, '$1')) as { widgets: Widget[] };
    };
    /** One metric as `namespace/name` and its dimensions, sorted: how CloudWatch tells two metrics apart. */
    const metricKey = (namespace: string, name: string, dimensions: Record<string, string>) =>
      `${namespace}/${name} ${Object.entries(dimensions)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`)
        .join(',')}`;
    const shown = (variant?: Record<string, string>) =>
      new Set(
        body(variant).widgets.flatMap((widget) =>
          (widget.properties.metrics ?? []).map((metric) => {
            const [namespace, name, ...rest] = metric.filter((part) => typeof part === 'string') as string[];
            const dimensions: Record<string, string> = {};
            for (let index = 0; index + 1 < rest.length; index += 2)
              dimensions[rest[index] as string] = rest[index + 1] as string;
            return metricKey(String(namespace), String(name), dimensions);
          }),
        ),
      );
    const asName = (value: Json | undefined) => {
      const node = object(value, 'dimension value');
      return 'Ref' in node ? String(node.Ref) : (node['Fn::GetAtt'] as string[]).join('.');
    };

    it.each(Object.keys(VARIANTS))(
      'with OnFailureDestination %s, shows every alarm and what it watches',
      (variant) => {
        const parameters = VARIANTS[variant as keyof typeof VARIANTS];
        const alarms = Object.keys(resources).filter((id) => resource(id).Type === 'AWS::CloudWatch::Alarm');
        const alarmWidget = body(parameters).widgets.find((widget) => widget.properties.alarms);
        const watched = alarms.map((id) => {
          const alarm = properties(id);
          const dimensions = Object.fromEntries(
            (alarm.Dimensions as JsonObject[]).map((dimension) => [
              String(dimension.Name),
              asName(dimension.Value),
            ]),
          );
          return metricKey(String(alarm.Namespace), String(alarm.MetricName), dimensions);
        });

        expect(alarmWidget?.properties.alarms?.sort()).toEqual(alarms.map((id) => `${id}.Arn`).sort());
        expect(watched.filter((metric) => !shown(parameters).has(metric))).toEqual([]);
      },
    );

    it.each([
      ['sqs', 'AWS/SQS/ApproximateNumberOfMessagesVisible QueueName=FailedBatchQueue.QueueName', 'AWS/S3/'],
      ['s3', 'AWS/S3/NumberOfObjects BucketName=FailedBatchBucket,StorageType=AllStorageTypes', 'AWS/SQS/'],
    ])(
      'with OnFailureDestination %s, shows what waits in that destination, and nothing of the other',
      (...row) => {
        const [variant, metric, other] = row;
        const metrics = [...shown({ OnFailureDestination: variant })];

        expect(metrics).toContain(metric);
        expect(metrics.filter((key) => key.startsWith(other))).toEqual([]);
      },
    );

    it('shows every metric the function emits, with the namespace and dimensions it emits them with', async () => {
      // Arrange: deployed with the DynamoDB ledger, whose table is gone (LedgerErrors); a receiver that takes the
      // first batch and is down for the second.
      const { NODE_OPTIONS: _unused, ...environment } = functionEnvironment(deployedWith(IN_DYNAMODB));
      const dynamodb = await startDynamoDb();
      const receiver = await startReceiver();
      // Lambda sets this; Powertools counts a cold start only with it.
      const handler = loadHandler({
        ...environment,
        // Lambda sets it; without it Powertools writes no ColdStart metric.
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        FORWARD_URL: receiver.url,
        POWERTOOLS_METRICS_DISABLED: 'false',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        FORWARD_BREAKER_THRESHOLD: '1',
        FORWARD_MAX_ATTEMPTS: '1',
      });
      // The dashboard names the function by `${ForwarderFunction}`: the name Lambda gives the context.
      const context = () =>
        createLambdaContext({ timeoutMs: 30_000, identity: { functionName: FUNCTION_ID } });

      // Act: a cold start that delivers, a batch the receiver refuses (the breaker opens), an event that is not Kinesis.
      const output = await captureOutputOf(async () => {
        await handler(kinesisEvent([kinesisRecord()]), context());
        receiver.respond = () => ({ status: 503 });
        await handler(kinesisEvent([kinesisRecord(), kinesisRecord()]), context());
        await handler({ Records: [{ eventSource: 'aws:sqs' }] }, context()).catch(() => undefined);
      }).finally(() => Promise.all([receiver.close(), dynamodb.close()]));

      // Assert
      type Emf = {
        _aws: {
          CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
        };
      };
      const emitted = output
        .lines()
        .filter((line): line is Record<string, unknown> & Emf => '_aws' in line)
        .flatMap((line) =>
          line._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) =>
            Dimensions.flatMap((set) =>
              Metrics.map(({ Name }) =>
                metricKey(Namespace, Name, Object.fromEntries(set.map((key) => [key, String(line[key])]))),
              ),
            ),
          ),
        );
      const namespace = `${environment.POWERTOOLS_METRICS_NAMESPACE}/`;
      expect(new Set(emitted)).toEqual(
        new Set([...shown()].filter((metric) => metric.startsWith(namespace))),
      );
      expect(emitted.map((metric) => metric.split(' ')[0])).toEqual(
        expect.arrayContaining([
          `${namespace}InvocationErrors`,
          `${namespace}ColdStart`,
          `${namespace}CircuitOpened`,
          `${namespace}LedgerErrors`,
        ]),
      );
    });

    it('shows ConcurrencyLimit, a level, by its average, least and most, never summed, under the ceiling', () => {
      const widget = body({ Concurrency: '32' }).widgets.find((candidate) =>
        (candidate.properties.metrics ?? []).some((metric) => metric.includes('ConcurrencyLimit')),
      );
      const properties = object(widget?.properties as Json, 'properties');
      const stats = (properties.metrics as Json[][]).map((metric) => {
        const options = metric.find((part) => typeof part === 'object' && part !== null) as JsonObject;
        return options?.stat ?? properties.stat;
      });

      expect(stats.sort()).toEqual(['Average', 'Maximum', 'Minimum']);
      expect(object(properties.annotations, 'annotations').horizontal).toEqual([
        { label: 'Concurrency (ceiling)', value: 32 },
      ]);
    });
  });

  describe('outputs', () => {
    const outputs = object(template.Outputs, 'Outputs');

    it('are all described', () => {
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          'ForwarderFunctionArn',
          'OnFailureDestinationArn',
          'AlarmTopicArn',
          'DashboardUrl',
        ]),
      );
      for (const [name, output] of Object.entries(outputs))
        expect([name, object(output, name).Description]).toEqual([name, expect.any(String)]);
    });

    it.each([
      ['sqs', ['FailedBatchQueueUrl', 'FailedBatchQueueArn'], 'FailedBatchQueue'],
      ['s3', ['FailedBatchBucketName'], 'FailedBatchBucket'],
    ])(
      'with OnFailureDestination %s, name that destination, and only it',
      (variant, expected, destination) => {
        const resolve = deployedWith({ OnFailureDestination: variant });
        const conditional = Object.keys(outputs).filter(
          (name) => object(outputs[name], name).Condition !== undefined,
        );

        expect(conditional.filter((name) => holds(resolve, object(outputs[name], name).Condition))).toEqual(
          expected,
        );
        expect(resolve(object(outputs.OnFailureDestinationArn, 'OnFailureDestinationArn').Value)).toEqual({
          'Fn::GetAtt': [destination, 'Arn'],
        });
      },
    );
  });
});

describe('events/env.json', () => {
  it('sets, for the template’s function, only variables the template declares (sam local ignores others)', () => {
    const file = JSON.parse(readRepoFile('events/env.json')) as Record<string, Record<string, string>>;
    const declared = new Set([
      ...Object.keys(variablesOf(globals.Environment)),
      ...Object.keys(variablesOf(fn.Environment)),
    ]);

    expect(Object.keys(file)).toEqual([FUNCTION_ID]);
    expect(Object.keys(file[FUNCTION_ID] ?? {}).filter((name) => !declared.has(name))).toEqual([]);
    expect(() => parseConfig(file[FUNCTION_ID] ?? {})).not.toThrow();
  });
});

describe('samconfig.toml', () => {
  it('deploys the stack with IAM capability after confirming the change set', () => {
    const config = readRepoFile('samconfig.toml');

    expect(config).toMatch(/^stack_name = "kinesis-http-forwarder"$/m);
    expect(config).toMatch(/^capabilities = "CAPABILITY_IAM"$/m);
    expect(config).toMatch(/^confirm_changeset = true$/m);
  });
});
