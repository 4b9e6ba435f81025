import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { LAMBDA_BUILD } from '../../scripts/lambda-build';
import { DEFAULT_TIMEOUT_SECONDS, FUNCTION_ID } from '../../src/cli/invoke-options';
import { ORDERING_MODES, parseConfig } from '../../src/config';
import { reportBatch } from '../../src/services/batch-report';
import {
  type Json,
  type JsonObject,
  object,
  parseCloudFormation,
  readRepoFile,
  resolveWith,
  walk,
} from '../helpers/cloudformation-template';

const template = parseCloudFormation(readRepoFile('template.yaml'));
const parameters = object(template.Parameters, 'Parameters');
const resources = object(template.Resources, 'Resources');
const resource = (id: string) => object(resources[id], `Resources.${id}`);
const properties = (id: string) => object(resource(id).Properties, `Resources.${id}.Properties`);
const globals = object(object(template.Globals, 'Globals').Function, 'Globals.Function');
const fn = properties(FUNCTION_ID);
const kinesis = object(
  object(object(fn.Events, 'Events').Stream, 'Events.Stream').Properties,
  'Stream.Properties',
);

const REQUIRED = {
  StreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
  ForwardUrl: 'https://in.example/e',
};
// Event source mapping settings the issue asks to be deploy-time parameters, each named as its property.
const MAPPING_SETTINGS = [
  'StartingPosition',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'ParallelizationFactor',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
];
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:forwarder/token-AbCdEf';
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
const functionEnvironment = (resolve: ReturnType<typeof deployedWith>) =>
  Object.fromEntries(
    Object.entries({
      ...variablesOf(resolve(globals.Environment)),
      ...variablesOf(resolve(fn.Environment)),
    }).map(([name, value]) => [name, String(value)]),
  );

const statements = (resolve: ReturnType<typeof deployedWith>) =>
  (resolve(properties('ForwarderRole').Policies) as JsonObject[]).flatMap(
    (policy) => object(policy.PolicyDocument, 'PolicyDocument').Statement as JsonObject[],
  );
const actionsOf = (statement: JsonObject) => [statement.Action].flat() as string[];

describe('template.yaml', () => {
  it('is a SAM template whose every Ref, GetAtt, Sub variable and condition names something defined', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    const defined = new Set([...Object.keys(parameters), ...Object.keys(resources)]);
    const conditions = new Set(Object.keys(object(template.Conditions, 'Conditions')));
    const undefinedNames: string[] = [];
    const check = (name: string) => {
      if (!name.startsWith('AWS::') && !defined.has(name.split('.')[0] as string)) undefinedNames.push(name);
    };
    for (const node of walk(template)) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      if (typeof node.Ref === 'string') check(node.Ref);
      if (Array.isArray(node['Fn::GetAtt'])) check(String(node['Fn::GetAtt'][0]));
      if (typeof node['Fn::Sub'] === 'string')
        for (const [, name] of node['Fn::Sub'].matchAll(/\$\{([\w:.]+)\}/g)) check(name as string);
      if (Array.isArray(node['Fn::If']) && !conditions.has(String(node['Fn::If'][0])))
        undefinedNames.push(String(node['Fn::If'][0]));
      if (typeof node.Condition === 'string' && !conditions.has(node.Condition))
        undefinedNames.push(node.Condition);
    }
    expect(undefinedNames).toEqual([]);
  });

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

    it('default MaximumRecordAgeInSeconds to a value Lambda accepts: -1, or 60 to 604800', () => {
      const age = Number(object(parameters.MaximumRecordAgeInSeconds, 'MaximumRecordAgeInSeconds').Default);

      expect(age === -1 || (age >= 60 && age <= 604_800)).toBe(true);
    });

    it('offer exactly the ordering modes the function knows', () => {
      expect(object(parameters.OrderingMode, 'OrderingMode').AllowedValues).toEqual([...ORDERING_MODES]);
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

    it('writes to its own log group, which has a retention', () => {
      expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: 'ForwarderLogGroup' } });
      expect(resource('ForwarderLogGroup').Type).toBe('AWS::Logs::LogGroup');
      expect(deployedWith()(properties('ForwarderLogGroup').RetentionInDays)).toBe('30');
    });
  });

  describe('the Kinesis event source', () => {
    it('reports batch item failures, bisects failing batches and sends what it gives up on to the queue', () => {
      const resolved = object(deployedWith({ MaximumRetryAttempts: '12' })(kinesis), 'kinesis');

      expect(object(fn.Events, 'Events').Stream).toMatchObject({ Type: 'Kinesis' });
      expect(resolved).toMatchObject({
        Stream: REQUIRED.StreamArn,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: '12',
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailedBatchQueue', 'Arn'] } } },
      });
      expect(resource('FailedBatchQueue').Type).toBe('AWS::SQS::Queue');
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
  });

  describe('the role', () => {
    it('is the function’s own, with no managed policies', () => {
      expect(fn.Role).toEqual({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] });
      expect(fn.Policies).toBeUndefined();
      expect(properties('ForwarderRole').ManagedPolicyArns).toBeUndefined();
    });

    it('reads that stream, sends to that queue, writes that log group, and nothing wider', () => {
      const granted = statements(deployedWith());

      expect(granted.every((s) => s.Effect === 'Allow')).toBe(true);
      const onResource = (match: (s: JsonObject) => boolean) => granted.filter(match).map((s) => s.Resource);
      const kinesisStatements = granted.filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
      expect(kinesisStatements.map((s) => s.Resource)).toEqual([REQUIRED.StreamArn]);
      expect(kinesisStatements.flatMap(actionsOf).every((a) => /^kinesis:(Describe|Get|List)/.test(a))).toBe(
        true,
      );
      expect(onResource((s) => actionsOf(s).includes('sqs:SendMessage'))).toEqual([
        { 'Fn::GetAtt': ['FailedBatchQueue', 'Arn'] },
      ]);
      expect(onResource((s) => actionsOf(s).some((a) => a.startsWith('logs:')))).toEqual([
        { 'Fn::GetAtt': ['ForwarderLogGroup', 'Arn'] },
      ]);
      // Only X-Ray's write actions, which take no resource, are granted on "*".
      const wildcard = granted.filter((s) => s.Resource === '*').flatMap(actionsOf);
      expect(wildcard.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      expect(granted.flatMap(actionsOf).every((a) => !a.includes('*'))).toBe(true);
    });

    it('reads the token secret only when one is given, and only that one', () => {
      const reads = (resolve: ReturnType<typeof deployedWith>) =>
        statements(resolve).filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));

      expect(reads(deployedWith())).toEqual([]);
      expect(reads(deployedWith({ AuthSecretArn: SECRET_ARN }))).toEqual([
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
      ]);
    });
  });

  describe('alarms', () => {
    const alarms = Object.entries(resources)
      .map(([id, node]) => [id, object(node, id)] as const)
      .filter(([, node]) => node.Type === 'AWS::CloudWatch::Alarm');
    const alarmOn = (metric: string) => {
      const found = alarms.find(([, node]) => object(node.Properties, 'Properties').MetricName === metric);
      if (!found) throw new Error(`no alarm on ${metric}`);
      return object(found[1].Properties, 'Properties');
    };

    it.each([
      ['IteratorAge', 'AWS/Lambda', 'FunctionName', { Ref: FUNCTION_ID }],
      ['Errors', 'AWS/Lambda', 'FunctionName', { Ref: FUNCTION_ID }],
      ['Throttles', 'AWS/Lambda', 'FunctionName', { Ref: FUNCTION_ID }],
      [
        'ApproximateNumberOfMessagesVisible',
        'AWS/SQS',
        'QueueName',
        { 'Fn::GetAtt': ['FailedBatchQueue', 'QueueName'] },
      ],
    ])('watch %s and notify the alarm topic', (metric, namespace, dimension, value) => {
      const alarm = alarmOn(metric);

      expect(alarm).toMatchObject({ Namespace: namespace, Dimensions: [{ Name: dimension, Value: value }] });
      expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(String(alarm.AlarmDescription).length).toBeGreaterThan(40);
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
    const body = () => {
      const text = deployedWith()(properties('ForwarderDashboard').DashboardBody);
      return JSON.parse(String(text).replace(/\$\{[\w.:]+\}/g, 'resolved')) as {
        widgets: Array<{ properties: { metrics?: Json[][]; alarms?: string[] } }>;
      };
    };
    const metricsShown = () =>
      body().widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => `${m[0]}/${m[1]}`));

    it('shows every alarm and the metrics they watch', () => {
      const shown = metricsShown();
      const alarmWidget = body().widgets.find((w) => w.properties.alarms);

      expect(alarmWidget?.properties.alarms).toHaveLength(4);
      expect(shown).toEqual(
        expect.arrayContaining([
          'AWS/Lambda/IteratorAge',
          'AWS/Lambda/Errors',
          'AWS/Lambda/Throttles',
          'AWS/SQS/ApproximateNumberOfMessagesVisible',
        ]),
      );
    });

    it('shows the function’s own metrics, under the namespace and service it writes them with', () => {
      // The metric names the function emits, from the code that emits them.
      const emitted = new Set<string>();
      const metrics = { addMetric: (name: string) => emitted.add(name) } as unknown as Metrics;
      const logger = { info: () => {}, warn: () => {} } as unknown as Logger;
      reportBatch(
        {
          ...{ received: 2, delivered: 1, failed: 1, heldBack: 0, skipped: 0, retries: 1, durationMs: 5 },
          circuitOpen: true,
          latenciesMs: [3],
          failures: [],
        },
        logger,
        metrics,
      );
      const namespace = functionEnvironment(deployedWith()).POWERTOOLS_METRICS_NAMESPACE;
      const dashboard = JSON.stringify(deployedWith()(properties('ForwarderDashboard').DashboardBody));

      const own = metricsShown().filter((m) => m.startsWith(`${namespace}/`));
      expect(new Set(own.map((m) => m.slice(String(namespace).length + 1)))).toEqual(emitted);
      expect(dashboard).toContain('\\"service\\", \\"forwarder-stack\\"');
    });
  });

  it('describes every output', () => {
    const outputs = Object.entries(object(template.Outputs, 'Outputs'));

    expect(outputs.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'ForwarderFunctionArn',
        'FailedBatchQueueUrl',
        'AlarmTopicArn',
        'DashboardUrl',
      ]),
    );
    for (const [name, output] of outputs)
      expect([name, object(output, name).Description]).toEqual([name, expect.any(String)]);
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
