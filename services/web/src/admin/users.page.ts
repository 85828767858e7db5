import type { AdminAuditPage, AdminUserDetail, AdminUserPage } from '@solar/contracts';
import { activityList } from '../account/account.page';
import type { Page } from '../http/page-context';
import { deviceName } from '../account/device-name';
import { CATALOGS, formatDate } from '../i18n/locale';
import { field, notice } from '../views/components';
import { html, type Markup } from '../views/html';
import { renderAdmin } from './admin.page';

type AdminUser = AdminUserPage['items'][number];

/** An account's page, with what its last action did (`done`, `problem`). */
export function userPath(id: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `/admin/users/${encodeURIComponent(id)}${search ? `?${search}` : ''}`;
}

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
                    <p class="entry-title"><a href=${userPath(user.id)}>${user.email}</a> ${userTags(page, user)}</p>
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
  view: { user: AdminUserDetail; audit: AdminAuditPage | null; info?: string | undefined; error?: string | undefined },
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
          <dt>${t('account.displayName')}</dt>
          <dd>${user.displayName ?? t('account.noDisplayName')}</dd>
          <dt>${t('account.language')}</dt>
          <dd lang=${user.locale}>${CATALOGS[user.locale]['lang.name']}</dd>
          <dt>${t('twoFactor.settings.title')}</dt>
          <dd id="user-two-factor">${t(user.twoFactor.enabled ? 'twoFactor.settings.stateOn' : 'twoFactor.settings.stateOff')}</dd>
        </dl>
        ${
          user.twoFactor.reset
            ? notice(t('admin.twoFactorResetPending', { date: formatDate(page.locale, user.twoFactor.reset.effectiveAt) }), 'info')
            : null
        }
        ${user.deletion ? notice(t('admin.deletionPending', { date: formatDate(page.locale, user.deletion.purgeAt) }), 'info') : null}
      </section>
      ${sessionsSection(page, user.sessions)}
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
        ${
          user.twoFactor.enabled
            ? actionForm(page, { action: act('reset-two-factor'), submit: t('admin.resetTwoFactor'), hint: t('admin.resetTwoFactorHint') })
            : null
        }
        ${user.sessions.length > 0 ? actionForm(page, { action: act('end-sessions'), submit: t('admin.endSessions') }) : null}
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

function sessionsSection(page: Page, sessions: AdminUserDetail['sessions']): Markup {
  const { t } = page;
  return html`<section aria-labelledby="user-sessions-heading">
    <h2 id="user-sessions-heading">${t('sessions.title')}</h2>
    ${
      sessions.length === 0
        ? html`<p>${t('admin.noSessions')}</p>`
        : html`<ul class="entries" id="user-sessions">
            ${sessions.map(
              (session) =>
                html`<li class="entry">
                  <p class="entry-title"><strong>${deviceName(session.userAgent, t)}</strong></p>
                  <p class="entry-meta">${t('sessions.where', { ip: session.ip, date: formatDate(page.locale, session.lastUsedAt) })}</p>
                </li>`,
            )}
          </ul>`
    }
  </section>`;
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
  const action = `/admin/users/${encodeURIComponent(view.user.id)}/delete`;
  renderAdmin(page, {
    title: t('admin.deleteTitle'),
    status: view.fieldError ? 400 : 200,
    body: html`<p>${t('admin.deleteIntro', { email: view.user.email })}</p>
      <form method="post" action=${action} novalidate>
        <input type="hidden" name="_csrf" value=${page.session.csrf} />
        ${field({ name: 'reason', label: t('admin.reason'), autocomplete: 'off', error: view.fieldError })}
        <button type="submit" class="button">${t('admin.deleteConfirm')}</button>
      </form>
      <p><a href=${userPath(view.user.id)}>${t('admin.deleteCancel')}</a></p>`,
  });
}
