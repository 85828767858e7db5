import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { notice } from '../views/components';
import { html, type Markup } from '../views/html';

const SECTIONS: { path: string; label: MessageKey }[] = [
  { path: '/admin/users', label: 'admin.users' },
  { path: '/admin/waitlist', label: 'admin.waitlist' },
  { path: '/admin/jobs', label: 'admin.jobs' },
  { path: '/admin/email', label: 'admin.email' },
  { path: '/admin/reports', label: 'admin.reports' },
  { path: '/admin/webhooks', label: 'admin.webhooks' },
];

/** Every admin page: the sections' links (the current one marked), what the last action did, the page's own part. */
export function renderAdmin(
  page: Page,
  view: { title: string; body: Markup; info?: string | undefined; error?: string | undefined; status?: number },
): void {
  const { t } = page;
  page.render({
    status: view.status ?? 200,
    title: view.title,
    body: html`<nav class="admin-nav" aria-label=${t('admin.title')}>
        ${SECTIONS.map(
          (section) =>
            html`<a href=${section.path} aria-current=${page.req.path.startsWith(section.path) ? 'page' : undefined}
              >${t(section.label)}</a
            >`,
        )}
      </nav>
      ${notice(view.info, 'success')} ${notice(view.error, 'error')} ${view.body}`,
  });
}

/** A one-button POST form of an admin page, its accessible name naming what it acts on. */
export function actionButton(page: Page, options: { action: string; submit: string; label?: string; secondary?: boolean }): Markup {
  return html`<form method="post" action=${options.action} class="inline-form" novalidate>
    <input type="hidden" name="_csrf" value=${page.session.csrf} />
    <button
      type="submit"
      class=${options.secondary ? 'button button-secondary button-small' : 'button button-small'}
      aria-label=${options.label}
    >
      ${options.submit}
    </button>
  </form>`;
}
