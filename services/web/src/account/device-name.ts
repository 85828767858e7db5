import type { Translate } from '../i18n/locale';

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Chrome\/|Chromium\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

// Order matters: an iPhone's and an Android phone's agents also name Mac OS X and Linux.
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/**
 * A device as its owner recognises it ("Firefox on Windows") from the User-Agent the API recorded.
 * A string this does not know is shown shortened rather than hidden: it may be an app of the
 * owner's, or a sign of someone else's.
 */
export function deviceName(userAgent: string, t: Translate): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const os = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && os) return t('sessions.device', { browser, os });
  const text = userAgent.trim();
  if (!text) return t('sessions.unknownDevice');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
