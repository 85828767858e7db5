import { PROBLEM_STATUS, type ProblemCode } from '@solar/contracts';
import { LOCALES, translator } from '../i18n/locale';
import { fieldErrors, problemSentence, retrySentence } from './problem-messages';

const CODES = Object.keys(PROBLEM_STATUS) as ProblemCode[];
const problem = (code: ProblemCode, extra: { retryAfterSeconds?: number; errors?: { path: string; message: string }[] } = {}) => ({
  code,
  status: PROBLEM_STATUS[code],
  errors: extra.errors ?? [],
  ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}),
});

describe('problem codes in sentences', () => {
  // A code added to contracts' table without a sentence fails here (and in en.ts's type).
  it.each(LOCALES)('every code of PROBLEM_STATUS has a sentence in %s', (locale) => {
    const t = translator(locale);
    for (const code of CODES) {
      const sentence = problemSentence(problem(code), t);
      expect([code, sentence.length > 10, sentence.includes('problem.'), sentence.includes('{')]).toEqual([code, true, false, false]);
    }
  });

  it('says when to try again after a 429, a lock or a CAPTCHA demand', () => {
    const t = translator('en');
    expect(problemSentence(problem('rate_limited', { retryAfterSeconds: 42 }), t)).toBe('Too many attempts. Try again in 42 seconds.');
    expect(problemSentence(problem('account_locked', { retryAfterSeconds: 900 }), t)).toContain('Try again in 15 minutes.');
    expect(problemSentence(problem('rate_limited'), t)).toBe('Too many attempts. Try again later.');
    expect(problemSentence(problem('invalid_credentials', { retryAfterSeconds: 5 }), t)).not.toContain('Try again');
  });

  it('rounds up, to seconds under two minutes, then minutes, then hours', () => {
    const t = translator('en');
    expect(retrySentence(0.2, t)).toBe('Try again in 1 seconds.');
    expect(retrySentence(119, t)).toBe('Try again in 119 seconds.');
    expect(retrySentence(121, t)).toBe('Try again in 3 minutes.');
    expect(retrySentence(3 * 3600, t)).toBe('Try again in 3 hours.');
  });

  it("translates the password policy's refusals by field, and keeps an unknown message as it came", () => {
    const errors = [
      { path: 'newPassword', message: 'is one of the most commonly used passwords; choose another' },
      { path: 'password', message: 'must be at least 8 characters' },
      { path: 'email', message: 'something new' },
    ];
    expect(fieldErrors(problem('validation_failed', { errors }), translator('de'))).toEqual({
      newPassword: 'Gehört zu den am häufigsten verwendeten Passwörtern. Wählen Sie ein anderes.',
      password: 'Muss mindestens 8 Zeichen lang sein.',
      email: 'something new',
    });
  });
});
