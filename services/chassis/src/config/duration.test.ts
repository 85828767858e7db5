import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['30d', 2_592_000_000],
    [' 7d ', 604_800_000],
  ])('reads %s as %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', '10', 'ten seconds', '1.5h', '-1s', '10 s', '3w'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
