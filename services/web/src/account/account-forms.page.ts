import type { Locale } from '@solar/contracts';
import type { Page } from '../http/page-context';
import { CATALOGS, LOCALES } from '../i18n/locale';
import { field, selectField } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';

const back = (page: Page) => html`<p class="actions"><a href="/account">${page.t('account.back')}</a></p>`;

export function renderProfileForm(page: Page, values: { displayName: string; locale: Locale }, view: FormView = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'account.profileTitle',
      intro: 'account.profileIntro',
      action: '/account/profile',
      submit: 'account.save',
      fields: (errors) => [
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
      ],
      after: back(page),
    },
    view,
  );
}

export function renderPasswordForm(page: Page, view: FormView = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'password.changeTitle',
      intro: 'password.changeIntro',
      action: '/account/password',
      submit: 'password.changeSubmit',
      fields: (errors) => [
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
      ],
      after: back(page),
    },
    view,
  );
}

export function renderDeletionForm(page: Page, view: FormView = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'deletion.title',
      intro: 'deletion.intro',
      action: '/account/delete',
      submit: 'deletion.submit',
      fields: (errors) => [
        field({
          name: 'password',
          label: t('form.password'),
          type: 'password',
          autocomplete: 'current-password',
          hint: t('deletion.passwordHint'),
          error: errors.password,
        }),
      ],
      after: back(page),
    },
    view,
  );
}
