import type { Page } from '../http/page-context';
import { errorSummary, field, notice, postForm } from '../views/components';
import { html } from '../views/html';
import type { CaptchaWidget } from './captcha-widget';

export function renderWaitlist(
  page: Page,
  widget: CaptchaWidget | null,
  options: { email?: string; name?: string; error?: string; fieldErrors?: Record<string, string>; status?: number } = {},
): void {
  const { t } = page;
  const errors = options.fieldErrors ?? {};
  page.render({
    status: options.status ?? 200,
    title: t('waitlist.title'),
    body: html`${errorSummary(t, options.error, errors)}
      <p>${t('waitlist.intro')}</p>
      ${postForm(
        { action: '/waitlist', csrf: page.session.csrf, submit: t('waitlist.submit') },
        field({ name: 'email', label: t('form.email'), type: 'email', autocomplete: 'email', value: options.email, error: errors.email }),
        field({
          name: 'name',
          label: t('waitlist.name'),
          autocomplete: 'name',
          value: options.name,
          required: false,
          error: errors.name,
        }),
        widget
          ? html`<div class="field">
              <p class="hint">${t('waitlist.captchaIntro')}</p>
              <noscript><p class="notice notice-info" id="captcha-needs-javascript">${t('waitlist.captchaNeedsJavaScript')}</p></noscript>
              ${widget.markup(page.locale)}
            </div>`
          : null,
      )}
      <p class="actions">${t('signUp.haveAccount')} <a href="/login">${t('nav.signIn')}</a></p>`,
  });
}

/** The same answer whether the address was new or already listed: the page tells no one which. */
export function renderWaitlistJoined(page: Page, email: string): void {
  const { t } = page;
  page.render({
    title: t('waitlist.doneTitle'),
    body: html`${notice(t('waitlist.doneBody', { email }), 'success')}
      <p class="actions"><a href="/login">${t('nav.signIn')}</a></p>`,
  });
}
