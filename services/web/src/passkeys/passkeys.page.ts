import type { PasskeyList } from '@solar/contracts';
import type { Page } from '../http/page-context';
import { formatDate } from '../i18n/locale';
import { field } from '../views/components';
import { html, type Markup } from '../views/html';

/** The WebAuthn library's bundle, then the passkey forms' script: on the pages that have such a form. */
export const passkeyScripts: Markup = html`<script src="/assets/webauthn.js" defer></script>
  <script src="/assets/passkeys.js" defer></script>`;

/**
 * A form only the passkey script sends (hidden until it runs), with the place its sentences go.
 * Beside it, for a browser without script or WebAuthn, a note saying why there is no button.
 */
function passkeyForm(page: Page, options: { kind: 'add' | 'sign-in'; submit: string; secondary?: boolean }, ...children: Markup[]): Markup {
  const { t } = page;
  return html`<form method="post" action="#" data-passkey=${options.kind} data-failed=${t('passkeys.failed')} hidden novalidate>
      <input type="hidden" name="_csrf" value=${page.session.csrf} />
      ${children}
      <p class="field-error" role="alert" data-passkey-error hidden></p>
      <button type="submit" class=${options.secondary ? 'button button-secondary' : 'button'}>${options.submit}</button>
    </form>
    <p class="hint" data-passkey-unsupported>${t('passkeys.unsupported')}</p>`;
}

/** The sign-in page's and the second step's passkey button. */
export function passkeySignIn(page: Page, step: 'sign-in' | 'second-factor'): Markup {
  const submit = page.t(step === 'sign-in' ? 'passkeys.signIn' : 'passkeys.secondFactor');
  return passkeyForm(page, { kind: 'sign-in', submit, secondary: true }, html`<input type="hidden" name="step" value=${step} />`);
}

/** Each passkey with its last use; removing one asks for the password, so a session left open cannot. */
export function passkeysSection(page: Page, passkeys: PasskeyList['passkeys']): Markup {
  const { t } = page;
  return html`<section aria-labelledby="passkeys-heading">
    <h2 id="passkeys-heading">${t('passkeys.title')}</h2>
    ${
      passkeys.length === 0
        ? html`<p>${t('passkeys.none')}</p>`
        : html`<ul class="entries" id="passkeys">
            ${passkeys.map((passkey, index) => {
              const created = formatDate(page.locale, passkey.createdAt);
              const used = passkey.lastUsedAt ? formatDate(page.locale, passkey.lastUsedAt) : t('passkeys.neverUsed');
              const id = `passkey-password-${index}`;
              return html`<li class="entry">
                <p class="entry-title"><strong>${passkey.name}</strong></p>
                <p class="entry-meta">${t('passkeys.meta', { created, used })}</p>
                <form method="post" action="/account/passkeys/remove" novalidate>
                  <input type="hidden" name="_csrf" value=${page.session.csrf} />
                  <input type="hidden" name="passkey" value=${passkey.id} />
                  <label for=${id}>${t('passkeys.password')}</label>
                  <input id=${id} name="password" type="password" autocomplete="current-password" required />
                  <button
                    type="submit"
                    class="button button-secondary button-small"
                    aria-label=${t('passkeys.removeLabel', { name: passkey.name })}
                  >
                    ${t('passkeys.remove')}
                  </button>
                </form>
              </li>`;
            })}
          </ul>`
    }
    <h3>${t('passkeys.addTitle')}</h3>
    <p>${t('passkeys.addIntro')}</p>
    ${passkeyForm(
      page,
      { kind: 'add', submit: t('passkeys.add') },
      field({ name: 'name', label: t('passkeys.name'), autocomplete: 'off', hint: t('passkeys.nameHint') }),
      field({ name: 'password', label: t('passkeys.addPassword'), type: 'password', autocomplete: 'current-password' }),
    )}
  </section>`;
}
