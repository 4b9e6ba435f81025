import { redactSecrets, registerSecret } from '../../src/services/observability/redaction';

describe('redactSecrets', () => {
  it('masks a registered secret inside any string', () => {
    registerSecret('Bearer abc.def');

    expect(redactSecrets('message', 'request with Bearer abc.def failed')).toBe(
      'request with [REDACTED] failed',
    );
  });

  it('masks every authorization field, registered or not', () => {
    expect(redactSecrets('Authorization', 'Basic dXNlcjpwYXNz')).toBe('[REDACTED]');
  });

  it('leaves other values alone', () => {
    expect(redactSecrets('status', 503)).toBe(503);
    expect(redactSecrets('reason', 'HTTP 503')).toBe('HTTP 503');
  });

  it('ignores an empty secret', () => {
    registerSecret('');
    expect(redactSecrets('x', 'plain')).toBe('plain');
  });
});
