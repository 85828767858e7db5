import { formatDate } from '../i18n/locale';
import type { Page } from '../http/page-context';
import { errorSummary, notice, postForm } from '../views/components';
import { html } from '../views/html';

export function renderConfirmTwoFactorReset(page: Page, options: { error?: string; status?: number } = {}): void {
  const { t } = page;
  page.render({
    status: options.status ?? 200,
    title: t('twoFactorReset.title'),
    body: html`${errorSummary(t, options.error, {})}
      <p>${t('twoFactorReset.intro')}</p>
      ${postForm({ action: '/two-factor-reset', csrf: page.session.csrf, submit: t('twoFactorReset.submit') })}`,
  });
}

export function renderTwoFactorResetScheduled(page: Page, effectiveAt: string): void {
  const { t } = page;
  page.render({
    title: t('twoFactorReset.doneTitle'),
    body: html`${notice(t('twoFactorReset.doneBody', { date: formatDate(page.locale, effectiveAt) }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}
