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
});
