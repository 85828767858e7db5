import type { Page } from '../http/page-context';
import { errorSummary, field, notice, postForm } from '../views/components';
import { html } from '../views/html';

export function renderForgotPassword(
  page: Page,
  options: { email?: string; error?: string; fieldErrors?: Record<string, string>; status?: number } = {},
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  page.render({
    status: options.status ?? 200,
    title: t('forgot.title'),
    body: html`${errorSummary(t, options.error, errors)}
      <p>${t('forgot.intro')}</p>
      ${postForm(
        { action: '/forgot-password', csrf: page.session.csrf, submit: t('forgot.submit') },
        field({ name: 'email', label: t('form.email'), type: 'email', autocomplete: 'email', value: options.email, error: errors.email }),
      )}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}

export function renderResetLinkSent(page: Page, email: string): void {
  const { t } = page;
  page.render({
    title: t('forgot.sentTitle'),
    body: html`${notice(t('forgot.sentBody', { email }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}

export function renderResetPassword(
  page: Page,
  options: { error?: string; fieldErrors?: Record<string, string>; status?: number } = {},
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  page.render({
    status: options.status ?? 200,
    title: t('reset.title'),
    body: html`${errorSummary(t, options.error, errors)}
      <p>${t('reset.intro')}</p>
      ${postForm(
        { action: '/reset-password', csrf: page.session.csrf, submit: t('reset.submit') },
        field({
          name: 'newPassword',
          label: t('form.newPassword'),
          type: 'password',
          autocomplete: 'new-password',
          hint: t('form.passwordRules'),
          error: errors.newPassword,
        }),
      )}`,
  });
}
