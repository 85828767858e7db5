import type { WaitlistPage } from '@solar/contracts';
import type { Page } from '../http/page-context';
import { formatDate } from '../i18n/locale';
import { html } from '../views/html';
import { actionButton, renderAdmin } from './admin.page';

export function renderWaitlist(page: Page, view: { entries: WaitlistPage; info?: string | undefined; error?: string | undefined }): void {
  const { t } = page;
  const next = view.entries.nextCursor;
  renderAdmin(page, {
    title: t('admin.waitlist'),
    info: view.info,
    error: view.error,
    body: html`${
      view.entries.items.length === 0
        ? html`<p>${t('admin.waitlistEmpty')}</p>`
        : html`<ul class="entries" id="waitlist">
            ${view.entries.items.map((entry) => {
              const path = `/admin/waitlist/${encodeURIComponent(entry.id)}`;
              return html`<li class="entry">
                <p class="entry-title"><strong>${entry.email}</strong>${entry.name ? ` (${entry.name})` : ''}</p>
                <p class="entry-meta">${t('admin.waitlistJoined', { date: formatDate(page.locale, entry.createdAt) })}</p>
                <p class="entry-buttons">
                  ${actionButton(page, { action: `${path}/approve`, submit: t('admin.approve'), label: t('admin.approveLabel', { email: entry.email }) })}
                  ${actionButton(page, {
                    action: `${path}/reject`,
                    submit: t('admin.reject'),
                    label: t('admin.rejectLabel', { email: entry.email }),
                    secondary: true,
                  })}
                </p>
              </li>`;
            })}
          </ul>`
    }
    ${next ? html`<p><a href=${`/admin/waitlist?${new URLSearchParams({ cursor: next }).toString()}`}>${t('admin.more')}</a></p>` : null}`,
  });
}
