import type { Locale } from '@solar/contracts';
import type { Page } from '../http/page-context';
import { CATALOGS, LOCALES } from '../i18n/locale';
import { errorSummary, field, postForm, selectField } from '../views/components';
import { html } from '../views/html';

export interface FormView {
  error?: string | undefined;
  fieldErrors?: Record<string, string>;
  status?: number;
}

const back = (page: Page) => html`<p class="actions"><a href="/account">${page.t('account.back')}</a></p>`;

export function renderProfileForm(page: Page, values: { displayName: string; locale: Locale }, view: FormView = {}): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  page.render({
    status: view.status ?? 200,
    title: t('account.profileTitle'),
    body: html`${errorSummary(t, view.error, errors)}
      <p>${t('account.profileIntro')}</p>
      ${postForm(
        { action: '/account/profile', csrf: page.session.csrf, submit: t('account.save') },
        field({
          name: 'displayName',
          label: t('account.displayName'),
          autocomplete: 'nickname',
          value: values.displayName,
          hint: t('account.displayNameHint'),
          error: errors.displayName,
          required: false,
        }),
        // Each language named in itself, so a reader who chose the wrong one finds theirs.
        selectField({
          name: 'locale',
          label: t('account.language'),
          value: values.locale,
          choices: LOCALES.map((locale) => ({ value: locale, label: CATALOGS[locale]['lang.name'], lang: locale })),
        }),
      )}
      ${back(page)}`,
  });
}

export function renderPasswordForm(page: Page, view: FormView = {}): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  page.render({
    status: view.status ?? 200,
    title: t('password.changeTitle'),
    body: html`${errorSummary(t, view.error, errors)}
      <p>${t('password.changeIntro')}</p>
      ${postForm(
        { action: '/account/password', csrf: page.session.csrf, submit: t('password.changeSubmit') },
        field({
          name: 'currentPassword',
          label: t('password.current'),
          type: 'password',
          autocomplete: 'current-password',
          error: errors.currentPassword,
        }),
        field({
          name: 'newPassword',
          label: t('form.newPassword'),
          type: 'password',
          autocomplete: 'new-password',
          hint: t('form.passwordRules'),
          error: errors.newPassword,
        }),
      )}
      ${back(page)}`,
  });
}

export function renderDeletionForm(page: Page, view: FormView = {}): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  page.render({
    status: view.status ?? 200,
    title: t('deletion.title'),
    body: html`${errorSummary(t, view.error, errors)}
      <p>${t('deletion.intro')}</p>
      ${postForm(
        { action: '/account/delete', csrf: page.session.csrf, submit: t('deletion.submit') },
        field({
          name: 'password',
          label: t('form.password'),
          type: 'password',
          autocomplete: 'current-password',
          hint: t('deletion.passwordHint'),
          error: errors.password,
        }),
      )}
      ${back(page)}`,
  });
}
