import type { TwoFactorStatus } from '@solar/contracts';
import { formatDate } from '../i18n/locale';
import type { Page } from '../http/page-context';
import { errorSummary, field, notice, postForm } from '../views/components';
import { html, type Markup } from '../views/html';

export interface FormProblems {
  error?: string | undefined;
  fieldErrors?: Record<string, string>;
  status?: number;
}

/** A PNG as a data URL and nothing else: the one form the page lets into an <img> (the CSP admits `data:` images there only). */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

function passwordField(page: Page, error: string | undefined): Markup {
  return field({ name: 'password', label: page.t('form.password'), type: 'password', autocomplete: 'current-password', error });
}

function codeField(page: Page, error: string | undefined): Markup {
  return field({
    name: 'code',
    label: page.t('form.code'),
    autocomplete: 'one-time-code',
    inputMode: 'numeric',
    hint: page.t('form.codeHint'),
    error,
  });
}

/** The state of two-factor, what can be done with it, and a pending reset with its cancel button. */
export function renderTwoFactorSettings(page: Page, view: { state: TwoFactorStatus; info?: string | undefined } & FormProblems): void {
  const { t } = page;
  const { state } = view;
  const errors = view.fieldErrors ?? {};
  const csrf = page.session.csrf;
  page.render({
    status: view.status ?? 200,
    title: t('twoFactor.settings.title'),
    body: html`${notice(view.info, 'success')} ${errorSummary(t, view.error, errors)}
      <p id="two-factor-state">${t(state.enabled ? 'twoFactor.settings.on' : 'twoFactor.settings.off')}</p>
      ${
        state.reset
          ? html`${notice(t('account.twoFactorResetPending', { date: formatDate(page.locale, state.reset.effectiveAt) }), 'error')}
            ${postForm({ action: '/account/two-factor/cancel-reset', csrf, submit: t('account.cancelTwoFactorReset') })}`
          : null
      }
      ${
        state.enabled
          ? html`<p>${t('twoFactor.settings.codesLeft', { n: state.recoveryCodesRemaining })}</p>
              <ul class="link-list">
                <li><a href="/account/two-factor/new-recovery-codes">${t('twoFactor.settings.newCodesTitle')}</a></li>
                <li><a href="/account/two-factor/turn-off">${t('twoFactor.settings.turnOffTitle')}</a></li>
              </ul>`
          : html`<p>${t('twoFactor.settings.offIntro')}</p>
              ${postForm(
                { action: '/account/two-factor/enable', csrf, submit: t('twoFactor.settings.start') },
                passwordField(page, errors.password),
              )}`
      }
      <p class="actions"><a href="/account">${t('twoFactor.settings.back')}</a></p>`,
  });
}

/**
 * The second step of turning it on: the QR code (from the API's answer, so only right after the
 * password), the secret as text for people who cannot scan, and the first code. The API wants the
 * password again with that code; asking for it keeps the password out of the session cookie.
 */
export function renderTwoFactorSetup(page: Page, view: { secret: string; qrPng?: string | undefined } & FormProblems): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  const qr = view.qrPng && PNG_DATA_URL.test(view.qrPng) ? view.qrPng : undefined;
  page.render({
    status: view.status ?? 200,
    title: t('twoFactor.settings.setupTitle'),
    body: html`${errorSummary(t, view.error, errors)}
      <h2>${t('twoFactor.settings.scanTitle')}</h2>
      ${
        qr
          ? html`<p>${t('twoFactor.settings.scanIntro')}</p>
              <img class="qr-code" src=${qr} alt=${t('twoFactor.settings.qrAlt')} width="200" height="200" />`
          : html`<p>${t('twoFactor.settings.noQr')}</p>`
      }
      <p>${t('twoFactor.settings.secretIntro')}</p>
      <p><code class="secret" id="two-factor-secret">${view.secret}</code></p>
      <h2>${t('twoFactor.settings.confirmTitle')}</h2>
      <p>${t('twoFactor.settings.confirmIntro')}</p>
      ${postForm(
        { action: '/account/two-factor/verify', csrf: page.session.csrf, submit: t('twoFactor.settings.confirm') },
        codeField(page, errors.code),
        passwordField(page, errors.password),
      )}
      <p class="actions"><a href="/account/two-factor">${t('twoFactor.settings.startOver')}</a></p>`,
  });
}

/** Turning it off, or new recovery codes: both need the password and a current code. */
export function renderConfirmWithCode(page: Page, action: 'turn-off' | 'new-recovery-codes', view: FormProblems = {}): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  const off = action === 'turn-off';
  page.render({
    status: view.status ?? 200,
    title: t(off ? 'twoFactor.settings.turnOffTitle' : 'twoFactor.settings.newCodesTitle'),
    body: html`${errorSummary(t, view.error, errors)}
      <p>${t(off ? 'twoFactor.settings.turnOffIntro' : 'twoFactor.settings.newCodesIntro')}</p>
      ${postForm(
        {
          action: `/account/two-factor/${action}`,
          csrf: page.session.csrf,
          submit: t(off ? 'twoFactor.settings.turnOff' : 'twoFactor.settings.newCodes'),
        },
        passwordField(page, errors.password),
        codeField(page, errors.code),
      )}
      <p class="actions"><a href="/account/two-factor">${t('twoFactor.settings.back')}</a></p>`,
  });
}

/** The recovery codes, this once: as text to copy, save or print. */
export function renderRecoveryCodes(page: Page, codes: string[]): void {
  const { t } = page;
  page.render({
    title: t('twoFactor.settings.codesTitle'),
    body: html`${notice(t('twoFactor.settings.codesOnce'), 'info')}
      <p>${t('twoFactor.settings.codesIntro')}</p>
      <pre class="recovery-codes" id="recovery-codes">${codes.join('\n')}</pre>
      <p class="actions"><a class="button" href="/account/two-factor">${t('twoFactor.settings.codesSaved')}</a></p>`,
  });
}
