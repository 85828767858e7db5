import type { Translate } from '../i18n/locale';
import { html, type Markup } from './html';

export interface FieldOptions {
  name: string;
  /** `field-<name>` unless a page holds two forms with a field of that name. */
  id?: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  readOnly?: boolean;
  required?: boolean;
  inputMode?: 'numeric' | 'text' | 'email';
}

/** A labelled input with its hint and, beside it, the error the server found (linked by aria-describedby). */
export function field(options: FieldOptions): Markup {
  const id = options.id ?? `field-${options.name}`;
  const described = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class=${options.error ? 'field field-invalid' : 'field'}>
    <label for=${id}>${options.label}</label>
    ${options.hint ? html`<p class="hint" id=${`${id}-hint`}>${options.hint}</p>` : null}
    ${options.error ? html`<p class="field-error" id=${`${id}-error`}>${options.error}</p>` : null}
    <input
      id=${id}
      name=${options.name}
      type=${options.type ?? 'text'}
      autocomplete=${options.autocomplete}
      value=${options.value ?? ''}
      readonly=${options.readOnly ?? false}
      required=${options.required ?? true}
      inputmode=${options.inputMode}
      aria-invalid=${options.error ? 'true' : undefined}
      aria-describedby=${described || undefined}
    />
  </div>`;
}

/** The page's problems at the top, each linking to its field, read out as soon as the page loads. */
export function errorSummary(t: Translate, message: string | undefined, errors: Record<string, string>): Markup {
  const entries = Object.entries(errors);
  if (!message && entries.length === 0) return null;
  return html`<div class="notice notice-error" role="alert" tabindex="-1" id="error-summary">
    ${message ? html`<p>${message}</p>` : null}
    ${
      entries.length > 0
        ? html`<p>${t('form.errorSummary')}</p>
            <ul>
              ${entries.map(([name, text]) => html`<li><a href=${`#field-${name}`}>${text}</a></li>`)}
            </ul>`
        : null
    }
  </div>`;
}

export function notice(text: string | undefined, kind: 'info' | 'success' | 'error' = 'info'): Markup {
  if (!text) return null;
  return html`<div class=${`notice notice-${kind}`} role=${kind === 'error' ? 'alert' : 'status'}><p>${text}</p></div>`;
}

/** A POST form carrying the session's CSRF token. */
export function postForm(options: { action: string; csrf: string; submit: string; secondary?: boolean }, ...children: Markup[]): Markup {
  return html`<form method="post" action=${options.action} novalidate>
    <input type="hidden" name="_csrf" value=${options.csrf} />
    ${children}
    <button type="submit" class=${options.secondary ? 'button button-secondary' : 'button'}>${options.submit}</button>
  </form>`;
}

/** A labelled choice of a few options, with its hint; the same shape as field(). */
export function selectField(options: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  choices: { value: string; label: string; lang?: string }[];
}): Markup {
  const id = `field-${options.name}`;
  return html`<div class="field">
    <label for=${id}>${options.label}</label>
    ${options.hint ? html`<p class="hint" id=${`${id}-hint`}>${options.hint}</p>` : null}
    <select id=${id} name=${options.name} aria-describedby=${options.hint ? `${id}-hint` : undefined}>
      ${options.choices.map(
        (choice) =>
          html`<option value=${choice.value} lang=${choice.lang} selected=${choice.value === options.value}>${choice.label}</option>`,
      )}
    </select>
  </div>`;
}
