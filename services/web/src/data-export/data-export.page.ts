import type { Page } from '../http/page-context';
import { field } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html, type Markup } from '../views/html';

/** The fields of the request: the password again, and a current code when two-factor is on. */
function requestFields(page: Page, twoFactorEnabled: boolean, errors: Record<string, string>, prefix: string): Markup[] {
  const { t } = page;
  // The account page has other password fields (passkeys): this form's ids are its own.
  const password = field({
    name: 'password',
    id: `${prefix}password`,
    label: t('password.current'),
    type: 'password',
    autocomplete: 'current-password',
    error: errors.password,
  });
  if (!twoFactorEnabled) return [password];
  const code = field({
    name: 'code',
    id: `${prefix}code`,
    label: t('dataExport.code'),
    autocomplete: 'one-time-code',
    inputMode: 'numeric',
    error: errors.code,
  });
  return [password, code];
}

/** The account page's section: what the copy holds and the form that asks for it. */
export function dataExportSection(page: Page, twoFactorEnabled: boolean): Markup {
  const { t } = page;
  return html`<section aria-labelledby="data-export-heading">
    <h2 id="data-export-heading">${t('dataExport.title')}</h2>
    <p>${t('dataExport.intro')}</p>
    <form method="post" action="/account/data-export" novalidate>
      <input type="hidden" name="_csrf" value=${page.session.csrf} />
      ${requestFields(page, twoFactorEnabled, {}, 'data-export-')}
      <button type="submit" class="button button-secondary">${t('dataExport.submit')}</button>
    </form>
  </section>`;
}

/** The same form on its own page, shown again with what the API refused. */
export function renderDataExportForm(page: Page, twoFactorEnabled: boolean, view: FormView = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'dataExport.title',
      intro: 'dataExport.intro',
      action: '/account/data-export',
      submit: 'dataExport.submit',
      fields: (errors) => requestFields(page, twoFactorEnabled, errors, 'field-'),
      after: html`<p class="actions"><a href="/account">${t('account.back')}</a></p>`,
    },
    view,
  );
}

/** The emailed link's page: one button whose answer is the archive itself. */
export function renderDownloadPage(page: Page, view: FormView = {}): void {
  renderFormPage(
    page,
    { title: 'dataExport.downloadTitle', intro: 'dataExport.downloadIntro', action: '/data-export', submit: 'dataExport.download' },
    view,
  );
}
