import type { Page } from '../http/page-context';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';

export function renderVerifyEmail(page: Page, view: FormView = {}): void {
  renderFormPage(page, { title: 'verify.title', intro: 'verify.intro', action: '/verify-email', submit: 'verify.submit' }, view);
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
