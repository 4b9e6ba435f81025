import { displayUrl } from '../../src/local/display-url';

describe('displayUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/events', 'http://127.0.0.1:3000/events'],
    ['https://user:token@receiver.example.com/in', 'https://[REDACTED]@receiver.example.com/in'],
    ['https://receiver.example.com/in?apiKey=abc&x=1', 'https://receiver.example.com/in?[REDACTED]'],
    ['not a url', '(invalid URL)'],
  ])('shows %s as %s', (raw, shown) => {
    expect(displayUrl(raw)).toBe(shown);
  });
});
