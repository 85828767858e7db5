import { formatDate } from '../i18n/locale';
import type { Page } from '../http/page-context';
import { notice } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';

export function renderConfirmTwoFactorReset(page: Page, view: FormView = {}): void {
  renderFormPage(
    page,
    { title: 'twoFactorReset.title', intro: 'twoFactorReset.intro', action: '/two-factor-reset', submit: 'twoFactorReset.submit' },
    view,
  );
}

export function renderTwoFactorResetScheduled(page: Page, effectiveAt: string): void {
  const { t } = page;
  page.render({
    title: t('twoFactorReset.doneTitle'),
    body: html`${notice(t('twoFactorReset.doneBody', { date: formatDate(page.locale, effectiveAt) }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}
