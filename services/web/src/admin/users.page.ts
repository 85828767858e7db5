import type { AdminAuditPage, AdminUserPage } from '@solar/contracts';
import { activityList } from '../account/account.page';
import type { Page } from '../http/page-context';
import { formatDate } from '../i18n/locale';
import { field } from '../views/components';
import { html, type Markup } from '../views/html';
import { renderAdmin } from './admin.page';

export type AdminUser = AdminUserPage['items'][number];

/** Where an account's page is: its id, and its address for finding it again (the API lists accounts by address). */
export const userPath = (user: Pick<AdminUser, 'id' | 'email'>, extra: Record<string, string> = {}): string =>
  `/admin/users/${encodeURIComponent(user.id)}?${new URLSearchParams({ email: user.email, ...extra }).toString()}`;

export function renderUserSearch(page: Page, view: { q: string; users: AdminUserPage; info?: string | undefined }): void {
  const { t } = page;
  const next = view.users.nextCursor;
  renderAdmin(page, {
    title: t('admin.users'),
    info: view.info,
    body: html`<form method="get" action="/admin/users" role="search">
        ${field({ name: 'q', label: t('admin.search'), type: 'text', autocomplete: 'off', value: view.q, required: false })}
        <button type="submit" class="button">${t('admin.searchSubmit')}</button>
      </form>
      ${
        view.users.items.length === 0
          ? html`<p>${t('admin.noUsers')}</p>`
          : html`<ul class="entries" id="users">
              ${view.users.items.map(
                (user) =>
                  html`<li class="entry">
                    <p class="entry-title"><a href=${userPath(user)}>${user.email}</a> ${userTags(page, user)}</p>
                    <p class="entry-meta">${t('admin.userCreated', { date: formatDate(page.locale, user.createdAt) })}</p>
                  </li>`,
              )}
            </ul>`
      }
      ${next ? html`<p><a href=${`/admin/users?${new URLSearchParams({ q: view.q, cursor: next }).toString()}`}>${t('admin.more')}</a></p>` : null}`,
  });
}

function userTags(page: Page, user: AdminUser): Markup {
  const { t } = page;
  return html`${user.disabled ? html`<span class="tag">${t('admin.userDisabled')}</span>` : null}
  ${user.roles.includes('admin') ? html`<span class="tag">${t('admin.userAdmin')}</span>` : null}
  ${user.emailVerified ? null : html`<span class="tag">${t('admin.userUnverified')}</span>`}`;
}

export function renderUser(
  page: Page,
  view: { user: AdminUser; audit: AdminAuditPage | null; info?: string | undefined; error?: string | undefined },
): void {
  const { t } = page;
  const { user } = view;
  const act = (action: string) =>
    `/admin/users/${encodeURIComponent(user.id)}/${action}?${new URLSearchParams({ email: user.email }).toString()}`;
  const admin = user.roles.includes('admin');
  renderAdmin(page, {
    title: user.email,
    info: view.info,
    error: view.error,
    body: html`<section aria-labelledby="profile-heading">
        <h2 id="profile-heading">${t('admin.profile')}</h2>
        <dl>
          <dt>${t('admin.userId')}</dt>
          <dd>${user.id}</dd>
          <dt>${t('account.status')}</dt>
          <dd>${t(user.emailVerified ? 'account.verified' : 'account.notVerified')}</dd>
          <dt>${t('admin.state')}</dt>
          <dd id="user-state">${t(user.disabled ? 'admin.stateDisabled' : 'admin.stateActive')}</dd>
          <dt>${t('admin.roles')}</dt>
          <dd id="user-roles">${user.roles.length > 0 ? user.roles.join(', ') : t('admin.noRoles')}</dd>
          <dt>${t('admin.created')}</dt>
          <dd>${formatDate(page.locale, user.createdAt)}</dd>
        </dl>
      </section>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">${t('admin.actions')}</h2>
        ${
          user.disabled
            ? actionForm(page, { action: act('enable'), submit: t('admin.enable') })
            : actionForm(page, {
                action: act('disable'),
                submit: t('admin.disable'),
                hint: t('admin.disableHint'),
                reason: field({ name: 'reason', label: t('admin.reasonOptional'), autocomplete: 'off', required: false }),
              })
        }
        ${actionForm(page, { action: act('unlock'), submit: t('admin.unlock'), hint: t('admin.unlockHint') })}
        ${actionForm(page, { action: act('reset-two-factor'), submit: t('admin.resetTwoFactor'), hint: t('admin.resetTwoFactorHint') })}
        ${actionForm(page, { action: act('end-sessions'), submit: t('admin.endSessions') })}
        ${
          admin
            ? actionForm(page, { action: act('revoke-admin'), submit: t('admin.revokeAdmin') })
            : user.emailVerified
              ? actionForm(page, { action: act('grant-admin'), submit: t('admin.grantAdmin') })
              : null
        }
        <p><a class="button button-secondary" href=${act('delete')}>${t('admin.deleteNow')}</a></p>
      </section>
      ${
        view.audit
          ? html`<section aria-labelledby="audit-heading">
              <h2 id="audit-heading">${t('admin.audit')}</h2>
              ${activityList(page, view.audit.items)}
            </section>`
          : null
      }`,
  });
}

/** One action of the account page: its hint, an optional reason, its button. */
function actionForm(page: Page, options: { action: string; submit: string; hint?: string; reason?: Markup }): Markup {
  return html`<form method="post" action=${options.action} class="admin-action" novalidate>
    <input type="hidden" name="_csrf" value=${page.session.csrf} />
    ${options.hint ? html`<p class="hint">${options.hint}</p>` : null} ${options.reason ?? null}
    <button type="submit" class="button button-secondary">${options.submit}</button>
  </form>`;
}

/** The second step of "Delete now": what it does, the reason the API wants, and the way back. */
export function renderDeleteConfirmation(page: Page, view: { user: Pick<AdminUser, 'id' | 'email'>; fieldError?: string }): void {
  const { t } = page;
  const action = `/admin/users/${encodeURIComponent(view.user.id)}/delete?${new URLSearchParams({ email: view.user.email }).toString()}`;
  renderAdmin(page, {
    title: t('admin.deleteTitle'),
    status: view.fieldError ? 400 : 200,
    body: html`<p>${t('admin.deleteIntro', { email: view.user.email })}</p>
      <form method="post" action=${action} novalidate>
        <input type="hidden" name="_csrf" value=${page.session.csrf} />
        ${field({ name: 'reason', label: t('admin.reason'), autocomplete: 'off', error: view.fieldError })}
        <button type="submit" class="button">${t('admin.deleteConfirm')}</button>
      </form>
      <p><a href=${userPath(view.user)}>${t('admin.deleteCancel')}</a></p>`,
  });
}
