import type { Page } from '../http/page-context';
import { field, notice } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';

export function renderForgotPassword(page: Page, view: FormView & { email?: string } = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'forgot.title',
      intro: 'forgot.intro',
      action: '/forgot-password',
      submit: 'forgot.submit',
      fields: (errors) => [
        field({ name: 'email', label: t('form.email'), type: 'email', autocomplete: 'email', value: view.email, error: errors.email }),
      ],
      after: html`<p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
    },
    view,
  );
}

export function renderResetLinkSent(page: Page, email: string): void {
  const { t } = page;
  page.render({
    title: t('forgot.sentTitle'),
    body: html`${notice(t('forgot.sentBody', { email }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}

export function renderResetPassword(page: Page, view: FormView = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'reset.title',
      intro: 'reset.intro',
      action: '/reset-password',
      submit: 'reset.submit',
      fields: (errors) => [
        field({
          name: 'newPassword',
          label: t('form.newPassword'),
          type: 'password',
          autocomplete: 'new-password',
          hint: t('form.passwordRules'),
          error: errors.newPassword,
        }),
      ],
    },
    view,
  );
}
