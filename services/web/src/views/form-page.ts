import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { errorSummary, postForm } from './components';
import { html, type Markup } from './html';

/** What a form page shows again after the API refused it: its sentence, the fields' errors, the status. */
export interface FormView {
  error?: string | undefined;
  fieldErrors?: Record<string, string>;
  status?: number | undefined;
}

export interface FormPage {
  title: MessageKey;
  intro: MessageKey;
  action: string;
  submit: MessageKey;
  /** The form's fields, given the errors to show beside them. */
  fields?: (errors: Record<string, string>) => Markup[];
  /** Below the form: the link onwards or back. */
  after?: Markup;
}

/** A page that is one form: its problems first (linked to their fields), an introduction, the form. */
export function renderFormPage(page: Page, form: FormPage, view: FormView = {}): void {
  const { t } = page;
  const errors = view.fieldErrors ?? {};
  page.render({
    status: view.status ?? 200,
    title: t(form.title),
    body: html`${errorSummary(t, view.error, errors)}
      <p>${t(form.intro)}</p>
      ${postForm({ action: form.action, csrf: page.session.csrf, submit: t(form.submit) }, ...(form.fields?.(errors) ?? []))} ${form.after}`,
  });
}
