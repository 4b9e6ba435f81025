import { parseLocalConfig } from '../../src/hosts/local/config';
import { checkForwarderConfig, handlerEnvironment } from '../../src/hosts/local/function-environment';
import { ConfigError } from '../../src/lib/env';

describe('handlerEnvironment', () => {
  it('points the function at the embedded receiver, turns metrics off and logs at ERROR: the local mode prints failures itself', () => {
    expect(handlerEnvironment({}, parseLocalConfig({}), 'http://127.0.0.1:9999/events')).toEqual({
      FORWARD_URL: 'http://127.0.0.1:9999/events',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_LAMBDA_MAX_CONCURRENCY: '4',
    });
  });

  it('leaves alone what the user set, and sets what Lambda sets', () => {
    const env = {
      FORWARD_URL: 'http://x/',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    };

    expect(handlerEnvironment(env, parseLocalConfig({ CONCURRENT_INVOCATIONS: '2' }), undefined)).toEqual({
      AWS_LAMBDA_MAX_CONCURRENCY: '2',
    });
  });
});

describe('checkForwarderConfig', () => {
  it('returns the function configuration as it will load', () => {
    const env = { FORWARD_URL: 'http://127.0.0.1:1/in', FORWARD_CONCURRENCY: '3' };

    expect(checkForwarderConfig(env, parseLocalConfig(env))).toMatchObject({ concurrency: 3 });
  });

  it('fails when the invocation timeout leaves the function no time', () => {
    const env = { FORWARD_URL: 'http://127.0.0.1:1/in', INVOCATION_TIMEOUT_MS: '1000' };

    expect(() => checkForwarderConfig(env, parseLocalConfig(env))).toThrow(
      new ConfigError(
        'INVOCATION_TIMEOUT_MS (1000) must exceed FORWARD_DEADLINE_MARGIN_MS (1000) by at least 100 ms',
      ),
    );
  });

  it('fails on the function own invalid settings', () => {
    const env = { FORWARD_URL: 'http://127.0.0.1:1/in', FORWARD_TIMEOUT_MS: 'soon' };

    expect(() => checkForwarderConfig(env, parseLocalConfig(env))).toThrow('FORWARD_TIMEOUT_MS');
  });
});
