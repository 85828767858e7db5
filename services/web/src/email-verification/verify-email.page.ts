import type { Page } from '../http/page-context';
import { errorSummary, postForm } from '../views/components';
import { html } from '../views/html';

export function renderVerifyEmail(page: Page, options: { error?: string; status?: number } = {}): void {
  const { t } = page;
  page.render({
    status: options.status ?? 200,
    title: t('verify.title'),
    body: html`${errorSummary(t, options.error, {})}
      <p>${t('verify.intro')}</p>
      ${postForm({ action: '/verify-email', csrf: page.session.csrf, submit: t('verify.submit') })}`,
  });
}

export function renderEmailVerified(page: Page, email: string): void {
  const { t } = page;
  const signedIn = page.session.auth !== undefined;
  page.render({
    title: t('verify.doneTitle'),
    body: html`<div class="notice notice-success" role="status"><p>${t('verify.doneBody', { email })}</p></div>
      <p><a class="button" href=${signedIn ? '/account' : '/login'}>${t(signedIn ? 'nav.account' : 'nav.signIn')}</a></p>`,
  });
}
