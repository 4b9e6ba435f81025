import { displayUrl, displayValue } from '../../src/lib/display';

describe('displayUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/events', 'http://127.0.0.1:3000/events'],
    ['https://user:token@receiver.example.com/in', 'https://[REDACTED]@receiver.example.com/in'],
    ['https://receiver.example.com/in?apiKey=abc&x=1', 'https://receiver.example.com/in?[REDACTED]'],
    ['ftp://alice:S3cretPw@host/x', 'ftp://[REDACTED]@host/x'],
    ['alice:S3cretPw@host', 'alice:[REDACTED]'],
    ['not a url', '(invalid URL)'],
  ])('shows %s as %s', (raw, shown) => {
    expect(displayUrl(raw)).toBe(shown);
  });
});

describe('displayValue', () => {
  it('quotes a short value whole, with control characters escaped', () => {
    expect(displayValue('soon')).toBe('"soon"');
    expect(displayValue('a\nb')).toBe('"a\\nb"');
  });

  it('cuts a long value to 80 characters and says how long it was', () => {
    const shown = displayValue('x'.repeat(200_000));

    expect(shown).toBe(`"${'x'.repeat(80)}..." (200000 characters)`);
  });
});
