import type { Page } from '../http/page-context';
import { field, notice } from '../views/components';
import { renderFormPage, type FormView } from '../views/form-page';
import { html } from '../views/html';

export function renderEmailChangeForm(page: Page, view: FormView & { newEmail?: string } = {}): void {
  const { t } = page;
  renderFormPage(
    page,
    {
      title: 'emailChange.title',
      intro: 'emailChange.intro',
      action: '/account/email',
      submit: 'emailChange.submit',
      fields: (errors) => [
        field({
          name: 'newEmail',
          label: t('emailChange.newEmail'),
          type: 'email',
          autocomplete: 'email',
          value: view.newEmail,
          error: errors.newEmail,
        }),
        field({
          name: 'password',
          label: t('password.current'),
          type: 'password',
          autocomplete: 'current-password',
          error: errors.password,
        }),
        field({
          name: 'code',
          label: t('emailChange.code'),
          autocomplete: 'one-time-code',
          inputMode: 'numeric',
          hint: t('emailChange.codeHint'),
          error: errors.code,
          required: false,
        }),
      ],
      after: html`<p class="actions"><a href="/account">${t('account.back')}</a></p>`,
    },
    view,
  );
}

export function renderConfirmEmailChange(page: Page, view: FormView = {}): void {
  renderFormPage(
    page,
    {
      title: 'emailChange.confirmTitle',
      intro: 'emailChange.confirmIntro',
      action: '/confirm-email-change',
      submit: 'emailChange.confirmSubmit',
    },
    view,
  );
}

export function renderUndoEmailChange(page: Page, view: FormView = {}): void {
  renderFormPage(
    page,
    { title: 'emailChange.undoTitle', intro: 'emailChange.undoIntro', action: '/undo-email-change', submit: 'emailChange.undoSubmit' },
    view,
  );
}

export function renderEmailChanged(page: Page): void {
  const { t } = page;
  const signedIn = page.session.auth !== undefined;
  page.render({
    title: t('emailChange.confirmedTitle'),
    body: html`${notice(t('emailChange.confirmedBody'), 'success')}
      <p><a class="button" href=${signedIn ? '/account' : '/login'}>${t(signedIn ? 'nav.account' : 'nav.signIn')}</a></p>`,
  });
}
