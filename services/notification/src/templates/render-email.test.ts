import { TemplateError, compileEmailTemplates, renderEmail } from './render-email';

const brand = { name: 'Solar Accounts' };
const now = new Date('2026-03-02T10:00:00.000Z');
const inADay = '2026-03-03T10:00:00.000Z';

describe('renderEmail', () => {
  it('puts the verification link in both the HTML and the text part', async () => {
    const link = 'https://app.example/verify-email?token=abc_DEF-123';
    const email = await renderEmail('verify-email', { link, expiresAt: inADay }, brand, { now });
    expect(email.subject).toContain('Confirm your email');
    expect(email.html).toContain(`href="${link}"`);
    expect(email.text).toContain(link);
  });

  it('words the expiry from expiresAt and the send time instead of a fixed duration', async () => {
    const email = await renderEmail('verify-email', { link: 'https://app.example/v', expiresAt: inADay }, brand, { now });
    expect(email.text).toContain('expires in 24 hours (Tuesday, 3 March 2026 at 10:00 UTC)');
    const late = await renderEmail('verify-email', { link: 'https://app.example/v', expiresAt: inADay }, brand, {
      now: new Date('2026-03-03T09:20:00.000Z'),
    });
    expect(late.text).toContain('expires in 40 minutes');
  });

  it('escapes variables so a crafted value cannot inject markup', async () => {
    const email = await renderEmail('verify-email', { link: 'https://app.example/v?token="><script>x</script>', expiresAt: inADay }, brand);
    expect(email.html).not.toContain('<script>');
  });

  it('escapes the brand, which is compiled into the layout rather than filled in', async () => {
    const email = await renderEmail('password-changed', {}, { name: 'Sun & <b>Moon</b>' });
    expect(email.html).toContain('Sun &amp; &lt;b&gt;Moon&lt;/b&gt;');
    expect(email.html).not.toContain('<b>Moon');
  });

  it('does not expand a marker that arrives inside a value', async () => {
    const email = await renderEmail('verify-email', { link: 'https://app.example/v?x={{expiresAt}}', expiresAt: inADay }, brand);
    expect(email.html).toContain('href="https://app.example/v?x={{expiresAt}}"');
    expect(email.html).not.toContain('x=Tuesday');
  });

  it('refuses to render with a missing variable rather than send a hole', async () => {
    await expect(renderEmail('verify-email', {}, brand)).rejects.toThrow(TemplateError);
    await expect(renderEmail('verify-email', { link: 'https://app.example/v' }, brand)).rejects.toThrow(/"expiresAt" is missing/);
  });

  it('never quotes a value in the error, since links carry tokens and errors are published', async () => {
    const error = await renderEmail('verify-email', { link: 'secret-token-123', expiresAt: 'secret-date' }, brand).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).not.toContain('secret');
  });

  it.each(['javascript:alert(1)', 'not a url', 'ftp://x.example/'])('refuses a link that is not http(s): %p', async (link) => {
    await expect(renderEmail('verify-email', { link, expiresAt: inADay }, brand)).rejects.toThrow(TemplateError);
  });

  it.each([
    ['verify-email', { link: 'https://evil.example/verify-email?token=secret', expiresAt: inADay }],
    ['deletion-requested', { purgeAt: inADay, cancelLink: 'https://app.example.evil.example/settings' }],
    ['inactive-account-warning', { signInBy: inADay, signInLink: 'http://app.example/login' }],
    ['waitlist-approved', { inviteLink: 'https://app.example@evil.example/register?invite=secret', expiresAt: inADay }],
  ])('refuses a %s link off the web app origin, without quoting it', async (template, variables) => {
    const rendering = renderEmail(template, variables, brand, { linkOrigin: 'https://app.example' });
    await expect(rendering).rejects.toThrow(/is not a link to the web app \(https:\/\/app\.example\)/);
    await expect(rendering).rejects.not.toThrow(/secret|evil/);
  });

  it('renders links on the web app origin', async () => {
    const link = 'https://app.example/verify-email?token=abc';
    expect((await renderEmail('verify-email', { link, expiresAt: inADay }, brand, { linkOrigin: 'https://app.example' })).html).toContain(
      link,
    );
  });

  it('refuses an unknown template', async () => {
    await expect(renderEmail('no-such-template', {}, brand)).rejects.toThrow(/no template/);
  });

  it('renders the registration-attempt warning without variables', async () => {
    expect((await renderEmail('registration-attempt', {}, brand)).text).toContain('already has an account');
  });

  it('puts the reset link in both parts and says how long it lasts', async () => {
    const link = 'https://app.example/reset-password?token=abc_DEF-123';
    const email = await renderEmail('password-reset', { link, expiresAt: '2026-03-02T11:00:00.000Z' }, brand, { now });
    expect(email.subject).toContain('Reset your');
    expect(email.html).toContain(`href="${link}"`);
    expect(email.text).toContain(link);
    expect(email.text).toContain('1 hour');
  });

  it.each<Record<string, string>>([{}, { link: 'javascript:alert(1)' }, { link: 'not a url' }])(
    'refuses a reset email without an http(s) link: %p',
    async (variables) => {
      await expect(renderEmail('password-reset', { expiresAt: inADay, ...variables }, brand)).rejects.toThrow(TemplateError);
    },
  );

  it('renders the password-changed notice without variables and says what to do if it was not the owner', async () => {
    const email = await renderEmail('password-changed', {}, brand);
    expect(email.subject).toContain('password was changed');
    expect(email.text).toMatch(/If it was not you, reset your password/);
  });

  it('renders the lock end in readable UTC, whatever the offset it was given in', async () => {
    const email = await renderEmail('account-locked', { lockedUntil: '2026-03-02T12:15:30+02:00' }, brand);
    expect(email.text).toContain('Monday, 2 March 2026 at 10:15 UTC');
    expect(email.html).toContain('Monday, 2 March 2026 at 10:15 UTC');
  });

  it.each<Record<string, string>>([
    {},
    { lockedUntil: 'tomorrow' },
    { lockedUntil: '2026-03-02' },
    { lockedUntil: '2026-03-02T10:15:00' },
    { lockedUntil: '2026-13-45T99:00:00Z' },
    { lockedUntil: '2026-02-30T10:00:00Z' },
  ])('refuses an account-locked email without an ISO date-time: %p', async (variables) => {
    await expect(renderEmail('account-locked', variables, brand)).rejects.toThrow(TemplateError);
  });

  it('tells when the account will be purged and links to cancelling it', async () => {
    const cancelLink = 'https://app.example/cancel-deletion';
    const email = await renderEmail('deletion-requested', { purgeAt: '2026-04-01T10:00:00Z', cancelLink }, brand, { now });
    expect(email.subject).toContain('Wednesday, 1 April 2026 at 10:00 UTC');
    expect(email.text).toContain('deleted in 30 days, on Wednesday, 1 April 2026 at 10:00 UTC');
    expect(email.html).toContain(`href="${cancelLink}"`);
  });

  it('words the account-deleted email by why the account went, the owner asking when no reason is given', async () => {
    const text = async (variables: Record<string, string>) => (await renderEmail('account-deleted', variables, brand, { now })).text;
    expect(await text({})).toContain('As you asked, your Solar Accounts account and the data it held have been deleted.');
    expect(await text({ reason: 'requested' })).toContain('As you asked');
    expect(await text({ reason: 'inactivity' })).toContain('because nobody had signed in to it for a long time, your Solar Accounts');
    expect(await text({ reason: 'unverified' })).toContain('Because its email address was never confirmed, your Solar Accounts');
    for (const reason of ['inactivity', 'unverified']) expect(await text({ reason })).not.toContain('As you asked');
    await expect(renderEmail('account-deleted', { reason: 'because' }, brand)).rejects.toThrow(TemplateError);
  });

  it('links the waitlist invitation and says when it expires', async () => {
    const inviteLink = 'https://app.example/register?invite=abc';
    const email = await renderEmail('waitlist-approved', { inviteLink, expiresAt: '2026-03-09T10:00:00Z' }, brand, { now });
    expect(email.html).toContain(`href="${inviteLink}"`);
    expect(email.text).toContain(`Create my account: ${inviteLink}`);
    expect(email.text).toContain('expires in 7 days');
  });

  it('falls back to English for a language without templates, and uses a pack for any region of its language', async () => {
    const english = await renderEmail('password-changed', {}, brand);
    expect(await renderEmail('password-changed', {}, brand, { locale: 'fr-FR' })).toEqual(english);
    expect(await renderEmail('password-changed', {}, brand, { locale: 'en-GB' })).toEqual(english);
    expect(english.html).toContain('lang="en"');
    const german = await renderEmail('password-changed', {}, brand, { locale: 'de' });
    expect(await renderEmail('password-changed', {}, brand, { locale: 'de-AT' })).toEqual(german);
    expect(german.subject).toBe('Ihr Passwort bei Solar Accounts wurde geändert');
    expect(german.html).toContain('lang="de"');
  });

  it('writes dates and expiries in German for the German pack, in UTC', async () => {
    const variables = { link: 'https://app.example/v', expiresAt: inADay };
    const email = await renderEmail('verify-email', variables, brand, { locale: 'de', now });
    expect(email.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse für Solar Accounts');
    expect(email.text).toContain('läuft in 24 Stunden ab (Dienstag, 3. März 2026 um 10:00 UTC)');
    expect(email.text).toContain('E-Mail-Adresse bestätigen: https://app.example/v');
    expect(email.text).toContain('Sie erhalten diese E-Mail, weil sie Ihr Konto bei Solar Accounts betrifft.');
    const at = async (sentAt: string) =>
      (await renderEmail('verify-email', variables, brand, { locale: 'de', now: new Date(sentAt) })).text;
    expect(await at('2026-03-03T09:20:00.000Z')).toContain('läuft in 40 Minuten ab');
    expect(await at('2026-03-03T09:59:00.000Z')).toContain('läuft in 1 Minute ab');
    expect(await at('2026-03-03T09:00:00.000Z')).toContain('läuft in 1 Stunde ab');
    expect(await at('2026-03-03T10:00:01.000Z')).toContain('läuft jetzt ab');
    const invite = await renderEmail(
      'waitlist-approved',
      { inviteLink: 'https://app.example/r', expiresAt: '2026-03-09T10:00:00Z' },
      brand,
      {
        locale: 'de',
        now,
      },
    );
    expect(invite.text).toContain('läuft in 7 Tagen ab (Montag, 9. März 2026 um 10:00 UTC)');
    const locked = await renderEmail('account-locked', { lockedUntil: '2026-03-04T10:00:00Z' }, brand, { locale: 'de', now });
    expect(locked.text).toContain('bis Mittwoch, 4. März 2026 um 10:00 UTC gesperrt');
  });

  it('puts the brand colours, logo, support address and postal address in the layout', async () => {
    const custom = {
      name: 'Helios',
      logoUrl: 'https://cdn.example/logo.png',
      primaryColor: '#ffcc00',
      textColor: '#222222',
      backgroundColor: '#eeeeee',
      supportEmail: 'help@helios.example',
      postalAddress: 'Helios Ltd, 2 Sun Road, London',
    };
    const email = await renderEmail('verify-email', { link: 'https://app.example/v', expiresAt: inADay }, custom);
    expect(email.html).toContain('src="https://cdn.example/logo.png"');
    expect(email.html).toContain('#ffcc00');
    expect(email.html).toContain('#eeeeee');
    // Dark text on a light button, so the label stays readable.
    expect(email.html).toMatch(/background:#ffcc00;color:#111111/);
    for (const part of [email.html, email.text]) {
      expect(part).toContain('help@helios.example');
      expect(part).toContain('Helios Ltd, 2 Sun Road, London');
    }
  });

  it('compiles each brand once', async () => {
    const first = compileEmailTemplates({ name: 'Once' });
    expect(compileEmailTemplates({ name: 'Once' })).toBe(first);
    expect((await first).get('en')?.size).toBe(18);
  });
});
