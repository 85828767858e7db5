import type { AppAccessList, AuditPage, PasskeyList, Profile, SessionList, TwoFactorStatus } from '@solar/contracts';
import { CATALOGS, formatDate } from '../i18n/locale';
import type { Page } from '../http/page-context';
import { errorSummary, notice, postForm } from '../views/components';
import { html, type Markup } from '../views/html';
import { passkeyScripts, passkeysSection } from '../passkeys/passkeys.page';
import { dataExportSection } from '../data-export/data-export.page';
import { deviceName } from './device-name';
import { activityOf } from './security-activity';

export interface AccountView {
  profile: Profile;
  twoFactor: TwoFactorStatus | null;
  /** Null when the API could not list them. */
  passkeys: PasskeyList['passkeys'] | null;
  /** Null when the API could not list them: the rest of the page still shows. */
  sessions: SessionList['sessions'] | null;
  /** Third-party apps the account consented to (OpenID Connect); null when the API could not list them. */
  apps: AppAccessList['apps'] | null;
  activity: AuditPage | null;
  info?: string | undefined;
  error?: string;
  status?: number;
}

export function renderAccount(page: Page, view: AccountView): void {
  const { t } = page;
  const { profile, twoFactor } = view;
  const csrf = page.session.csrf;
  page.render({
    status: view.status ?? 200,
    title: t('account.title'),
    head: passkeyScripts,
    body: html`${notice(view.info, 'success')} ${errorSummary(t, view.error, {})}
      ${
        // Until the password is changed or reset: the sign-in that found it breached let the owner in to do that.
        profile.passwordBreached
          ? html`${notice(t('account.passwordBreached'), 'error')}
              <p><a id="breached-password-change" href="/account/password">${t('account.passwordBreachedAction')}</a></p>`
          : null
      }
      <dl>
        <dt>${t('account.displayName')}</dt>
        <dd id="display-name">${profile.displayName ?? t('account.noDisplayName')}</dd>
        <dt>${t('account.email')}</dt>
        <dd>${profile.email}</dd>
        <dt>${t('account.status')}</dt>
        <dd id="email-status">${t(profile.emailVerified ? 'account.verified' : 'account.notVerified')}</dd>
        <dt>${t('account.language')}</dt>
        <dd id="account-language" lang=${profile.locale}>${CATALOGS[profile.locale]['lang.name']}</dd>
        ${
          twoFactor
            ? html`<dt>${t('twoFactor.settings.title')}</dt>
                <dd>
                  <span id="two-factor-status">${t(twoFactor.enabled ? 'twoFactor.settings.stateOn' : 'twoFactor.settings.stateOff')}</span>
                  · <a href="/account/two-factor">${t(twoFactor.enabled ? 'twoFactor.settings.manage' : 'twoFactor.settings.setUp')}</a>
                </dd>`
            : null
        }
      </dl>
      <p><a href="/account/profile">${t('account.editProfile')}</a></p>
      ${
        profile.emailVerified
          ? null
          : html`<p>${t('account.resendIntro')}</p>
              ${postForm({ action: '/account/send-verification', csrf, submit: t('account.resend'), secondary: true })}`
      }
      ${
        profile.deletion
          ? html`${notice(t('account.deletionPending', { date: formatDate(page.locale, profile.deletion.purgeAt) }), 'error')}
            ${postForm({ action: '/account/cancel-deletion', csrf, submit: t('account.cancelDeletion') })}`
          : null
      }
      ${
        twoFactor?.reset
          ? html`${notice(t('account.twoFactorResetPending', { date: formatDate(page.locale, twoFactor.reset.effectiveAt) }), 'error')}
            ${postForm({ action: '/account/cancel-two-factor-reset', csrf, submit: t('account.cancelTwoFactorReset') })}`
          : null
      }
      ${view.passkeys ? passkeysSection(page, view.passkeys) : null} ${view.sessions ? sessionsSection(page, view.sessions) : null}
      ${view.apps && view.apps.length > 0 ? appsSection(page, view.apps) : null}
      ${
        view.activity
          ? html`<section aria-labelledby="activity-heading">
              <h2 id="activity-heading">${t('account.activityTitle')}</h2>
              ${activityList(page, view.activity.items)}
              <p><a href="/account/activity">${t('account.activityAll')}</a></p>
            </section>`
          : null
      }
      ${dataExportSection(page, twoFactor?.enabled ?? true)}
      <p class="actions">
        <a href="/account/password">${t('password.changeTitle')}</a>
        <a href="/account/email">${t('emailChange.title')}</a>
        ${profile.deletion ? null : html`<a href="/account/delete">${t('deletion.title')}</a>`}
      </p>`,
  });
}

function sessionsSection(page: Page, sessions: SessionList['sessions']): Markup {
  const { t } = page;
  // This device first, then the most recently used: the one to look at is near the top.
  const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
  return html`<section aria-labelledby="sessions-heading">
    <h2 id="sessions-heading">${t('sessions.title')}</h2>
    <ul class="entries" id="sessions">
      ${ordered.map((session) => {
        const device = deviceName(session.userAgent, t);
        const date = formatDate(page.locale, session.lastUsedAt);
        return html`<li class="entry">
          <p class="entry-title">
            <strong>${device}</strong>
            ${session.current ? html` <span class="tag">${t('sessions.current')}</span>` : null}
          </p>
          <p class="entry-meta">${t('sessions.where', { ip: session.ip, date })}</p>
          ${
            session.current
              ? null
              : html`<form method="post" action="/account/sessions/revoke" novalidate>
                  <input type="hidden" name="_csrf" value=${page.session.csrf} />
                  <input type="hidden" name="session" value=${session.id} />
                  <button
                    type="submit"
                    class="button button-secondary button-small"
                    aria-label=${t('sessions.revokeLabel', { device, date })}
                  >
                    ${t('sessions.revoke')}
                  </button>
                </form>`
          }
        </li>`;
      })}
    </ul>
    ${ordered.every((session) => session.current) ? html`<p>${t('sessions.onlyThis')}</p>` : null}
  </section>`;
}

function appsSection(page: Page, apps: AppAccessList['apps']): Markup {
  const { t } = page;
  return html`<section aria-labelledby="apps-heading">
    <h2 id="apps-heading">${t('apps.title')}</h2>
    <ul class="entries" id="apps">
      ${apps.map(
        (app) =>
          html`<li class="entry">
            <p class="entry-title"><strong>${app.name}</strong></p>
            <p class="entry-meta">${t('apps.since', { date: formatDate(page.locale, app.grantedAt) })}</p>
            <form method="post" action="/account/apps/revoke" novalidate>
              <input type="hidden" name="_csrf" value=${page.session.csrf} />
              <input type="hidden" name="app" value=${app.clientId} />
              <button type="submit" class="button button-secondary button-small" aria-label=${t('apps.revokeLabel', { app: app.name })}>
                ${t('apps.revoke')}
              </button>
            </form>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** The audit entries in words, newest first as the API lists them. */
export function activityList(page: Page, items: AuditPage['items']): Markup {
  const { t } = page;
  if (items.length === 0) return html`<p>${t('account.activityEmpty')}</p>`;
  return html`<ul class="entries" id="activity">
    ${items.map((entry) => {
      const activity = activityOf(entry, t, page.locale);
      return html`<li class=${activity.failed ? 'entry entry-failed' : 'entry'}>
        <p class="entry-title">${activity.what}</p>
        <p class="entry-meta">${activity.where}</p>
      </li>`;
    })}
  </ul>`;
}
