import type { Page } from '../http/page-context';
import { field, notice } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';
import type { CaptchaWidget } from './captcha-widget';

export function renderWaitlist(page: Page, widget: CaptchaWidget | null, view: FormView & { email?: string; name?: string } = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'waitlist.title',
      intro: 'waitlist.intro',
      action: '/waitlist',
      submit: 'waitlist.submit',
      fields: (errors) => [
        field({ name: 'email', label: t('form.email'), type: 'email', autocomplete: 'email', value: view.email, error: errors.email }),
        field({
          name: 'name',
          label: t('waitlist.name'),
          autocomplete: 'name',
          value: view.name,
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
      ],
      after: html`<p class="actions">${t('signUp.haveAccount')} <a href="/login">${t('nav.signIn')}</a></p>`,
    },
    view,
  );
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
