import { AUDIT_ACTIONS, type AuditPage } from '@solar/contracts';
import { LOCALES, translator } from '../i18n/locale';
import { activityOf } from './security-activity';

const entry = (overrides: Partial<AuditPage['items'][number]> = {}): AuditPage['items'][number] => ({
  id: 'e1',
  action: 'login',
  outcome: 'success',
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  at: '2025-03-04T05:06:07.000Z',
  details: {},
  ...overrides,
});

describe('security activity in words', () => {
  // An action added to contracts' list without words fails here (and in en.ts's type).
  it.each(LOCALES)('every audit action the API can list has words in %s, different for each action', (locale) => {
    const t = translator(locale);
    const words = AUDIT_ACTIONS.map((action) => activityOf(entry({ action }), t, locale).what);
    for (const [index, text] of words.entries()) {
      expect([AUDIT_ACTIONS[index], text.includes('account.'), text.includes('{'), text.length > 8]).toEqual([
        AUDIT_ACTIONS[index],
        false,
        false,
        true,
      ]);
    }
    expect(new Set(words).size).toBe(AUDIT_ACTIONS.length);
  });

  it('says whether it went through, and when, on what and from where', () => {
    expect(activityOf(entry(), translator('en'), 'en')).toEqual({
      what: 'Sign-in: done',
      where: '4 March 2025 at 05:06 UTC · Firefox on Windows · IP 203.0.113.9',
      failed: false,
    });
    expect(activityOf(entry({ outcome: 'failure', ip: '' }), translator('de'), 'de')).toMatchObject({
      what: 'Anmeldung: abgelehnt',
      where: expect.stringMatching(/^4\. März 2025 um 05:06 UTC · Firefox unter Windows · IP –$/),
      failed: true,
    });
  });
});
