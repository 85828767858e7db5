import { EmailTemplate } from '@solar/contracts';
import { SAMPLE_NOW, SAMPLE_VARIABLES } from '../src/templates/email-samples';
import { TemplateError, compileEmailTemplates, renderEmail } from '../src/templates/render-email';
import { TemplateVariables } from '../src/templates/template-variables';

const brand = { name: 'Solar Accounts' };

describe('the template catalog', () => {
  it('compiles all sixteen templates under strict MJML validation', async () => {
    const catalog = await compileEmailTemplates(brand, { validationLevel: 'strict' });
    expect([...catalog.get('en')!.keys()].sort()).toEqual([...EmailTemplate.options].sort());
  });

  it('refuses at compile time markup that strict validation finds broken', async () => {
    await expect(compileEmailTemplates({ name: 'Broken', primaryColor: 'not-a-colour' })).rejects.toThrow(TemplateError);
    await expect(compileEmailTemplates({ name: 'Broken', primaryColor: 'not-a-colour' })).rejects.toThrow(/invalid MJML/);
  });

  it.each(EmailTemplate.options)('%s renders a subject, HTML and text from the sample variables', async (template) => {
    const email = await renderEmail(template, SAMPLE_VARIABLES[template], brand, { now: SAMPLE_NOW });
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.html).toMatch(/^<!doctype html>/i);
    expect(email.html).toContain(`<title>${email.subject}</title>`);
    for (const part of [email.html, email.text]) {
      expect(part).toContain('support@solar-intelligence.local');
      expect(part).toContain('Solar Intelligence, 1 Example Street');
      for (const leftover of ['{{', '}}', 'undefined', 'null', 'NaN', 'Invalid Date']) expect(part).not.toContain(leftover);
    }
    for (const value of Object.values(SAMPLE_VARIABLES[template]).filter((v) => v.startsWith('http'))) {
      expect(email.html).toContain(`href="${value}"`);
      expect(email.text).toContain(value);
    }
  });

  it.each(EmailTemplate.options)('%s refuses each of its variables when missing', async (template) => {
    for (const name of Object.keys(SAMPLE_VARIABLES[template])) {
      const { [name]: _dropped, ...rest } = SAMPLE_VARIABLES[template];
      await expect(renderEmail(template, rest, brand)).rejects.toThrow(new RegExp(`"${name}" is missing`));
    }
  });

  it('asks exactly for the variables the issue lists, typed per template', () => {
    const shapes = Object.fromEntries(EmailTemplate.options.map((t) => [t, Object.keys(TemplateVariables[t].shape).sort()]));
    expect(shapes).toEqual({
      'verify-email': ['expiresAt', 'link'],
      'password-reset': ['expiresAt', 'link'],
      'password-changed': [],
      'email-change-requested': ['expiresAt', 'link'],
      'email-change-address-taken': [],
      'email-changed': ['expiresAt', 'link', 'newEmail'],
      'password-breached': [],
      'passkey-added': ['name'],
      'registration-attempt': [],
      'account-locked': ['lockedUntil'],
      'deletion-requested': ['cancelLink', 'purgeAt'],
      'deletion-cancelled': [],
      'account-deleted': ['reason'],
      'inactive-account-warning': ['signInBy', 'signInLink'],
      'waitlist-joined': [],
      'waitlist-approved': ['expiresAt', 'inviteLink'],
      'two-factor-enabled': [],
      'two-factor-disabled': [],
      'two-factor-reset-requested': ['expiresAt', 'link'],
      'two-factor-reset-scheduled': ['cancelLink', 'effectiveAt'],
      'two-factor-reset-cancelled': [],
      'two-factor-reset-by-admin': [],
      'data-export-ready': ['expiresAt', 'link'],
      'webhook-endpoint-disabled': ['endpoint', 'failingSince'],
    });
  });

  it('renders fast once compiled (measured, not asserted: the time is printed)', async () => {
    await compileEmailTemplates(brand);
    const rounds = 50;
    const started = process.hrtime.bigint();
    for (let round = 0; round < rounds; round++) {
      for (const template of EmailTemplate.options) {
        await renderEmail(template, SAMPLE_VARIABLES[template], brand, { now: SAMPLE_NOW });
      }
    }
    const perEmailMs = Number(process.hrtime.bigint() - started) / 1e6 / (rounds * EmailTemplate.options.length);
    process.stdout.write(
      `email render: ${perEmailMs.toFixed(3)} ms per email (all ${EmailTemplate.options.length} templates x ${rounds})\n`,
    );
    expect(perEmailMs).toBeGreaterThan(0);
  });
});
