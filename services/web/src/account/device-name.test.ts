import { translator } from '../i18n/locale';
import { deviceName } from './device-name';

const t = translator('en');

describe('device names', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', 'Chrome on Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
  ])('%s is %s', (userAgent, name) => {
    expect(deviceName(userAgent, t)).toBe(name);
  });

  it('shows an agent it does not know, shortened, and says so when there is none', () => {
    expect(deviceName('curl/8.5.0', t)).toBe('curl/8.5.0');
    expect(deviceName(`my-app/${'x'.repeat(100)}`, t)).toHaveLength(60);
    expect(deviceName('  ', t)).toBe('Unknown device');
    expect(translator('de')('sessions.device', { browser: 'Firefox', os: 'Linux' })).toBe('Firefox unter Linux');
  });
});
