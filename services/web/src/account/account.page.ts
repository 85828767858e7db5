import type { Profile, TwoFactorStatus } from '@solar/contracts';
import { formatDate } from '../i18n/locale';
import type { Page } from '../http/page-context';
import { errorSummary, notice, postForm } from '../views/components';
import { html } from '../views/html';

export function renderAccount(
  page: Page,
  view: { profile: Profile; twoFactor: TwoFactorStatus | null; info?: string | undefined; error?: string; status?: number },
): void {
  const { t } = page;
  const { profile, twoFactor } = view;
  const csrf = page.session.csrf;
  page.render({
    status: view.status ?? 200,
    title: t('account.title'),
    body: html`${notice(view.info, 'success')} ${errorSummary(t, view.error, {})}
      <dl>
        <dt>${t('account.displayName')}</dt>
        <dd>${profile.displayName ?? t('account.noDisplayName')}</dd>
        <dt>${t('account.email')}</dt>
        <dd>${profile.email}</dd>
        <dt>${t('account.status')}</dt>
        <dd id="email-status">${t(profile.emailVerified ? 'account.verified' : 'account.notVerified')}</dd>
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
      }`,
  });
}
