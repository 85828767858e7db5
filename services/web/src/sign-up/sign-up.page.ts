import type { Page } from '../http/page-context';
import { errorSummary, field, notice, postForm } from '../views/components';
import { html } from '../views/html';

export function renderSignUp(
  page: Page,
  options: {
    email?: string;
    invitedEmail?: string;
    error?: string;
    fieldErrors?: Record<string, string>;
    status?: number;
    /** Sign-up needs an invitation: the way to ask for one. */
    waitlist?: boolean;
  } = {},
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  const invited = options.invitedEmail !== undefined;
  page.render({
    status: options.status ?? 200,
    title: t('signUp.title'),
    body: html`${errorSummary(t, options.error, errors)}
      ${options.waitlist ? html`<p><a href="/waitlist">${t('waitlist.title')}</a></p>` : null}
      ${postForm(
        { action: '/register', csrf: page.session.csrf, submit: t('signUp.submit') },
        field({
          name: 'email',
          label: t('form.email'),
          type: 'email',
          autocomplete: 'email',
          value: options.invitedEmail ?? options.email,
          readOnly: invited,
          hint: invited ? t('signUp.invited') : undefined,
          error: errors.email,
        }),
        field({
          name: 'password',
          label: t('form.password'),
          type: 'password',
          autocomplete: 'new-password',
          hint: t('form.passwordRules'),
          error: errors.password,
        }),
      )}
      <p class="actions">${t('signUp.haveAccount')} <a href="/login">${t('nav.signIn')}</a></p>`,
  });
}

export function renderSignedUp(page: Page, email: string): void {
  const { t } = page;
  page.render({
    title: t('signUp.doneTitle'),
    body: html`${notice(t('signUp.doneBody', { email }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}
