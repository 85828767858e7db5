import type { Page } from '../http/page-context';
import { passkeyScripts, passkeySignIn } from '../passkeys/passkeys.page';
import { errorSummary, field, notice, postForm } from '../views/components';
import { html } from '../views/html';

export function renderSignIn(
  page: Page,
  options: { email?: string; info?: string; error?: string; fieldErrors?: Record<string, string>; status?: number } = {},
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  page.render({
    status: options.status ?? 200,
    title: t('signIn.title'),
    head: passkeyScripts,
    body: html`${notice(options.info, 'info')} ${errorSummary(t, options.error, errors)}
      ${postForm(
        { action: '/login', csrf: page.session.csrf, submit: t('signIn.submit') },
        field({
          name: 'email',
          label: t('form.email'),
          type: 'email',
          // "webauthn": the browser may offer the account's passkeys in this field's autofill.
          autocomplete: 'username webauthn',
          value: options.email,
          error: errors.email,
        }),
        field({ name: 'password', label: t('form.password'), type: 'password', autocomplete: 'current-password', error: errors.password }),
      )}
      ${passkeySignIn(page, 'sign-in')}
      <div class="actions">
        <a href="/forgot-password">${t('signIn.forgot')}</a>
        <p>${t('signIn.noAccount')} <a href="/register">${t('nav.signUp')}</a></p>
      </div>`,
  });
}

export function renderSecondFactor(
  page: Page,
  options: { method: 'code' | 'recovery'; error?: string; fieldErrors?: Record<string, string>; status?: number },
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  const recovery = options.method === 'recovery';
  page.render({
    status: options.status ?? 200,
    title: t(recovery ? 'twoFactor.recoveryTitle' : 'twoFactor.title'),
    head: passkeyScripts,
    body: html`${errorSummary(t, options.error, errors)}
      <p>${t(recovery ? 'twoFactor.recoveryIntro' : 'twoFactor.intro')}</p>
      ${postForm(
        { action: '/login/two-factor', csrf: page.session.csrf, submit: t('twoFactor.submit') },
        recovery
          ? field({
              name: 'recoveryCode',
              label: t('form.recoveryCode'),
              autocomplete: 'off',
              hint: t('form.recoveryCodeHint'),
              error: errors.recoveryCode,
            })
          : field({
              name: 'code',
              label: t('form.code'),
              autocomplete: 'one-time-code',
              inputMode: 'numeric',
              hint: t('form.codeHint'),
              error: errors.code,
            }),
      )}
      ${passkeySignIn(page, 'second-factor')}
      <p class="actions">
        <a href=${recovery ? '/login/two-factor' : '/login/two-factor?method=recovery'}
          >${t(recovery ? 'twoFactor.useCode' : 'twoFactor.useRecovery')}</a
        >
      </p>
      <h2>${t('twoFactor.lostTitle')}</h2>
      <p>${t('twoFactor.lostIntro')}</p>
      ${postForm({ action: '/login/two-factor/reset', csrf: page.session.csrf, submit: t('twoFactor.lostSubmit'), secondary: true })}`,
  });
}

export function renderTwoFactorResetSent(page: Page): void {
  const { t } = page;
  page.render({ title: t('twoFactor.resetSentTitle'), body: notice(t('twoFactor.resetSentBody'), 'success') });
}
