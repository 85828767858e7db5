import type { Brand } from '@solar/chassis';
import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * The provider's own pages (an error that cannot go back to the app, the logout confirmation and its
 * end) in the account pages' look: web's stylesheet, which the gateway serves on the same origin and
 * which carries the brand's colours, and the frame of web's layout (header, card, footer). Identity
 * may not import web, so the frame is written out here; there is no script, and nothing on them is
 * loaded from elsewhere.
 */

type Locale = 'en' | 'de';

const TEXT = {
  en: {
    errorTitle: 'This sign-in request cannot go on',
    errorBody: 'The app sent a request that we cannot accept, so we cannot send you back to it.',
    errorNext: 'Go back to the app and try again. If this keeps happening, tell the app’s makers: the app needs to be set up again.',
    errorCode: 'Error code for the app’s makers:',
    redirectBody: 'The app asked to send you back to an address it has not registered with us. To keep your account safe, we stopped here.',
    clientBody: 'The app that sent you here is not registered with us.',
    logoutTitle: 'Sign out?',
    logoutBody: '{app} asks to sign you out of {brand}.',
    logoutBodyNoApp: 'An app asks to sign you out of {brand}.',
    logoutYes: 'Sign out',
    logoutNo: 'Stay signed in',
    logoutNoHint: '“Stay signed in” signs you out of the app only.',
    signedOutTitle: 'You are signed out',
    signedOutBody: 'You have signed out of {brand}.',
    signIn: 'Sign in again',
    support: 'Help: {email}',
  },
  de: {
    errorTitle: 'Diese Anmeldeanfrage kann nicht weitergehen',
    errorBody: 'Die App hat eine Anfrage geschickt, die wir nicht annehmen können. Deshalb können wir Sie nicht zu ihr zurückschicken.',
    errorNext:
      'Gehen Sie zurück zur App und versuchen Sie es noch einmal. Passiert das wieder, sagen Sie es den Machern der App: Sie muss neu eingerichtet werden.',
    errorCode: 'Fehlercode für die Macher der App:',
    redirectBody:
      'Die App wollte Sie an eine Adresse zurückschicken, die sie bei uns nicht angemeldet hat. Zum Schutz Ihres Kontos haben wir hier angehalten.',
    clientBody: 'Die App, die Sie hierher geschickt hat, ist bei uns nicht angemeldet.',
    logoutTitle: 'Abmelden?',
    logoutBody: '{app} möchte Sie von {brand} abmelden.',
    logoutBodyNoApp: 'Eine App möchte Sie von {brand} abmelden.',
    logoutYes: 'Abmelden',
    logoutNo: 'Angemeldet bleiben',
    logoutNoHint: '„Angemeldet bleiben“ meldet Sie nur von der App ab.',
    signedOutTitle: 'Sie sind abgemeldet',
    signedOutBody: 'Sie haben sich von {brand} abgemeldet.',
    signIn: 'Wieder anmelden',
    support: 'Hilfe: {email}',
  },
} as const satisfies Record<Locale, Record<string, string>>;

type Key = keyof (typeof TEXT)['en'];

/** The sentence for the errors a person can meet here; any other gets the general one. */
const ERROR_TEXT: Partial<Record<string, Key>> = {
  invalid_redirect_uri: 'redirectBody',
  invalid_client: 'clientBody',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The app's `ui_locales` first, then the browser's languages. */
function localeOf(ctx: KoaContextWithOIDC): Locale {
  const asked = ctx.oidc?.params?.['ui_locales'];
  const first = typeof asked === 'string' ? asked.split(' ').find((tag) => /^(en|de)\b/i.test(tag)) : undefined;
  if (first) return first.slice(0, 2).toLowerCase() as Locale;
  return ctx.acceptsLanguages('en', 'de') === 'de' ? 'de' : 'en';
}

function translator(locale: Locale, brand: Brand) {
  return (key: Key, vars: Record<string, string> = {}) =>
    escapeHtml(TEXT[locale][key]).replace(/\{(\w+)\}/g, (_, name: string) =>
      escapeHtml(name === 'brand' ? brand.name : (vars[name] ?? '')),
    );
}

type Translate = ReturnType<typeof translator>;

/** Forms may go to the provider and, through its redirect, to where the app asked (browsers apply form-action to redirects). */
const policy = (formTargets: string[]) =>
  [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' https:",
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

/** A CSP source for a URL: its origin, or its scheme for a native app's custom scheme (whose origin is opaque). */
const sourceOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.origin === 'null' ? parsed.protocol : parsed.origin;
};

function send(ctx: KoaContextWithOIDC, brand: Brand, page: { title: Key; body: (t: Translate) => string; formTargets?: string[] }) {
  const locale = localeOf(ctx);
  const t = translator(locale, brand);
  const logo = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" height="32" />`
    : escapeHtml(brand.name);
  ctx.type = 'html';
  ctx.set('content-security-policy', policy(page.formTargets ?? []));
  ctx.set('cache-control', 'no-store');
  ctx.body = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" /><meta name="color-scheme" content="light dark" />
<title>${t(page.title)} – ${escapeHtml(brand.name)}</title>
<link rel="stylesheet" href="/assets/site.css" /></head>
<body><header class="site-header"><a class="brand" href="/">${logo}</a></header>
<main id="main"><div class="card"><h1>${t(page.title)}</h1>${page.body(t)}</div></main>
<footer class="site-footer"><p>${t('support', { email: brand.supportEmail })}</p><p>${escapeHtml(brand.postalAddress)}</p></footer>
</body></html>`;
}

/**
 * A request that cannot go back to its app (unknown client, redirect URI not registered): a sentence
 * a person can act on and the error's code for the app's makers; never the library's description,
 * which may quote what the request carried.
 */
export function renderErrorPage(brand: Brand) {
  return async (ctx: KoaContextWithOIDC, out: { error: string }) => {
    const specific = ERROR_TEXT[out.error];
    send(ctx, brand, {
      title: 'errorTitle',
      body: (t) =>
        `<p>${t(specific ?? 'errorBody')}</p><p>${t('errorNext')}</p><p class="hint">${t('errorCode')} <code>${escapeHtml(out.error)}</code></p>`,
    });
  };
}

/** RP-initiated logout's question: signing out ends the session here too; staying ends only the app's. */
export function logoutPage(brand: Brand) {
  return async (ctx: KoaContextWithOIDC, form: string) => {
    const app = ctx.oidc.client?.clientName;
    const target = ctx.oidc.params?.['post_logout_redirect_uri'];
    // The library's form carries the action and the session's xsrf value; the buttons name it.
    send(ctx, brand, {
      title: 'logoutTitle',
      formTargets: typeof target === 'string' ? [sourceOf(target)] : [],
      body: (t) =>
        `<p>${app ? t('logoutBody', { app }) : t('logoutBodyNoApp')}</p>${form}
<p class="actions"><button type="submit" class="button" form="op.logoutForm" name="logout" value="yes">${t('logoutYes')}</button>
<button type="submit" class="button button-secondary" form="op.logoutForm">${t('logoutNo')}</button></p>
<p class="hint">${t('logoutNoHint')}</p>`,
    });
  };
}

/** Where a logout without a registered return address ends. */
export function signedOutPage(brand: Brand) {
  return async (ctx: KoaContextWithOIDC) => {
    send(ctx, brand, {
      title: 'signedOutTitle',
      body: (t) => `<p>${t('signedOutBody')}</p><p><a class="button" href="/login">${t('signIn')}</a></p>`,
    });
  };
}
