import type { Brand } from '@solar/chassis';
import type { Locale, Translate } from '../i18n/locale';
import { documentOf, html, type Markup } from './html';

export interface LayoutInput {
  locale: Locale;
  t: Translate;
  brand: Brand;
  csrf: string;
  signedIn: boolean;
  /** The access token names the admin role: the header links to the admin pages. */
  admin: boolean;
  /** The page's own path, without a query: the language link returns to it. */
  path: string;
  title: string;
  body: Markup;
  /** More of the head: the redirect of a page that only passes the browser on. */
  head?: Markup;
}

/** Every page's frame: brand header, language link, sign-out for a signed-in visitor, support footer. */
export function layout(input: LayoutInput): string {
  const { t, brand } = input;
  const other: Locale = input.locale === 'en' ? 'de' : 'en';
  return documentOf(
    html`<html lang=${input.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>${t('page.title', { page: input.title, brand: brand.name })}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/assets/site.js" defer></script>
        ${input.head ?? null}
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/"> ${brand.logoUrl ? html`<img src=${brand.logoUrl} alt=${brand.name} height="32" />` : brand.name} </a>
          <nav aria-label=${t('nav.main')}>
            ${input.admin ? html`<a href="/admin/users">${t('nav.admin')}</a>` : null}
            <a href=${`${input.path}?lang=${other}`} lang=${other} hreflang=${other}>${t('lang.switch')}</a>
            ${
              input.signedIn
                ? html`<form method="post" action="/logout" class="inline-form">
                    <input type="hidden" name="_csrf" value=${input.csrf} />
                    <button type="submit" class="link-button">${t('nav.signOut')}</button>
                  </form>`
                : null
            }
          </nav>
        </header>
        <main id="main">
          <div class="card">
            <h1>${input.title}</h1>
            ${input.body}
          </div>
        </main>
        <footer class="site-footer">
          <p>${t('footer.support', { email: brand.supportEmail })}</p>
          <p>${brand.postalAddress}</p>
        </footer>
      </body>
    </html>`,
  );
}
