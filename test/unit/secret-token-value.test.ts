import { tokenFromSecretValue } from '../../src/services/auth/secret-token-value';

describe('tokenFromSecretValue', () => {
  it('takes a plain secret string as the token, without surrounding whitespace', () => {
    expect(tokenFromSecretValue('  Bearer abc.def\n')).toBe('Bearer abc.def');
  });

  it('takes the token field of a JSON secret', () => {
    expect(tokenFromSecretValue('{"token":"Bearer from-json","rotatedBy":"ops"}')).toBe('Bearer from-json');
  });

  it.each([
    [new Uint8Array([1, 2, 3]), 'binary data'],
    [undefined, 'no secret string'],
    ['   ', 'the token in it is empty'],
    ['{"token":""}', 'the token in it is empty'],
    ['{"password":"hunter2"}', 'without a string "token" field'],
    ['{"token":42}', 'without a string "token" field'],
    ['Bearer a\nb', 'cannot be sent as the Authorization header: it contains a line break'],
    ['{"token":"Bearer a\\r\\nb"}', 'cannot be sent as the Authorization header: it contains a line break'],
    [
      'Bearer abc\u2713',
      'cannot be sent as the Authorization header: it contains a character that cannot be in',
    ],
    [
      'Bearer abc\u0007',
      'cannot be sent as the Authorization header: it contains a character that cannot be in',
    ],
  ])('rejects %j saying what is wrong', (value, message) => {
    expect(() => tokenFromSecretValue(value)).toThrow(message);
  });

  it('never quotes the value when the JSON is broken', () => {
    const value = '{"token": "Bearer s3cr3t-value"';

    expect(() => tokenFromSecretValue(value)).toThrow('starts with "{" but is not valid JSON');
    expect(() => tokenFromSecretValue(value)).not.toThrow(/s3cr3t/);
  });
});
