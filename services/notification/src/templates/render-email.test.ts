import { TemplateError, renderEmail } from './render-email';

const brand = { name: 'Solar Accounts' };

describe('renderEmail', () => {
  it('puts the verification link in both the HTML and the text part', () => {
    const link = 'https://app.example/verify-email?token=abc_DEF-123';
    const email = renderEmail('verify-email', { link }, brand);
    expect(email.subject).toContain('Confirm your email');
    expect(email.html).toContain(`href="${link}"`);
    expect(email.text).toContain(link);
  });

  it('escapes variables so a crafted value cannot inject markup', () => {
    const email = renderEmail('verify-email', { link: 'https://app.example/v?token="><script>x</script>' }, brand);
    expect(email.html).not.toContain('<script>');
  });

  it('refuses to render with a missing variable rather than send a hole', () => {
    expect(() => renderEmail('verify-email', {}, brand)).toThrow(TemplateError);
  });

  it.each(['javascript:alert(1)', 'not a url', 'ftp://x.example/'])('refuses a link that is not http(s): %p', (link) => {
    expect(() => renderEmail('verify-email', { link }, brand)).toThrow(TemplateError);
  });

  it('refuses an unknown template', () => {
    expect(() => renderEmail('no-such-template', {}, brand)).toThrow(/no template/);
  });

  it('renders the registration-attempt warning without variables', () => {
    expect(renderEmail('registration-attempt', {}, brand).text).toContain('already has an account');
  });

  it('puts the reset link in both parts and says how long it lasts', () => {
    const link = 'https://app.example/reset-password?token=abc_DEF-123';
    const email = renderEmail('password-reset', { link, expiresAt: '2026-03-02T11:00:00.000Z' }, brand);
    expect(email.subject).toContain('Reset your');
    expect(email.html).toContain(`href="${link}"`);
    expect(email.text).toContain(link);
    expect(email.text).toContain('1 hour');
  });

  it.each<Record<string, string>>([{}, { link: 'javascript:alert(1)' }, { link: 'not a url' }])(
    'refuses a reset email without an http(s) link: %p',
    (variables) => {
      expect(() => renderEmail('password-reset', variables, brand)).toThrow(TemplateError);
    },
  );

  it('renders the password-changed notice without variables and says what to do if it was not the owner', () => {
    const email = renderEmail('password-changed', {}, brand);
    expect(email.subject).toContain('password was changed');
    expect(email.text).toMatch(/If it was not you, reset your password/);
  });

  it('renders the lock end in readable UTC, whatever the offset it was given in', () => {
    const email = renderEmail('account-locked', { lockedUntil: '2026-03-02T12:15:30+02:00' }, brand);
    expect(email.text).toContain('Monday, 2 March 2026 at 10:15 UTC');
    expect(email.html).toContain('Monday, 2 March 2026 at 10:15 UTC');
  });

  it.each<Record<string, string>>([
    {},
    { lockedUntil: 'tomorrow' },
    { lockedUntil: '2026-03-02' },
    { lockedUntil: '2026-13-45T99:00:00Z' },
  ])('refuses an account-locked email without an ISO date-time: %p', (variables) => {
    expect(() => renderEmail('account-locked', variables, brand)).toThrow(TemplateError);
  });
});
