/**
 * The passkey forms' script, served at /assets/passkeys.js after the WebAuthn library's bundle. A
 * passkey cannot be used without script, so its forms stay hidden until this runs in a browser that
 * supports WebAuthn; every page still works by password without it. Each ceremony is two form posts
 * (the CSRF token with them): one for the options, one for the authenticator's answer; the server
 * answers with a place to go, or with the sentence to show.
 */
export const PASSKEYS_JS = `(() => {
  'use strict';
  const lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  class Refusal extends Error {}

  const post = async (url, fields) => {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body: new URLSearchParams(fields),
    });
    const answer = await response.json().catch(() => ({}));
    if (typeof answer.redirect === 'string') {
      window.location.assign(answer.redirect);
      return null;
    }
    if (!response.ok) throw new Refusal(answer.error || '');
    return answer;
  };

  const field = (form, name) => {
    const input = form.elements.namedItem(name);
    return input && 'value' in input ? input.value : '';
  };

  const ceremonies = {
    async add(form) {
      const csrf = field(form, '_csrf');
      const name = field(form, 'name');
      const started = await post('/account/passkeys/options', { _csrf: csrf, name, password: field(form, 'password') });
      if (!started) return;
      const credential = await lib.startRegistration({ optionsJSON: started.options });
      await post('/account/passkeys', { _csrf: csrf, name, credential: JSON.stringify(credential) });
    },
    async signIn(form, autofill) {
      const csrf = field(form, '_csrf');
      const step = field(form, 'step');
      // Autofill asks for options as the page loads; a refusal then (rate limit) must not greet anyone.
      const started = await post('/login/passkey/options', { _csrf: csrf, step }).catch((error) => {
        if (autofill) return null;
        throw error;
      });
      if (!started) return;
      const credential = await lib.startAuthentication({ optionsJSON: started.options, useBrowserAutofill: autofill });
      await post('/login/passkey', { _csrf: csrf, step, credential: JSON.stringify(credential) });
    },
  };

  const show = (form, text) => {
    const error = form.querySelector('[data-passkey-error]');
    if (!error) return;
    error.textContent = text;
    error.hidden = !text;
  };

  // The site script marked the form sent; a refused ceremony makes it sendable again.
  const release = (form) => {
    delete form.dataset.sent;
    for (const button of form.querySelectorAll('button[type="submit"]')) button.removeAttribute('aria-disabled');
  };

  const run = async (form, autofill) => {
    show(form, '');
    try {
      await ceremonies[form.dataset.passkey === 'add' ? 'add' : 'signIn'](form, autofill);
    } catch (error) {
      release(form);
      // A newer ceremony aborted this one (the button after autofill): nothing went wrong.
      if (error && error.name === 'AbortError') return;
      if (autofill && !(error instanceof Refusal)) return;
      show(form, error instanceof Refusal && error.message ? error.message : form.dataset.failed || '');
    }
  };

  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run(form, false);
    });
  }
  for (const note of document.querySelectorAll('[data-passkey-unsupported]')) note.hidden = true;

  const signIn = document.querySelector('form[data-passkey="sign-in"]');
  if (signIn) {
    void lib.browserSupportsWebAuthnAutofill().then((supported) => {
      if (supported) void run(signIn, true);
    });
  }
})();
`;
