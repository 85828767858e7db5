import type { OAuthInteraction } from '@solar/contracts';
import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { postForm } from '../views/components';
import { html } from '../views/html';

const SCOPE_TEXT: Record<string, MessageKey> = {
  openid: 'oauth.scope.openid',
  email: 'oauth.scope.email',
  profile: 'oauth.scope.profile',
  offline_access: 'oauth.scope.offline_access',
};

/** What a third-party app asks for, with Allow and Deny. */
export function renderConsent(page: Page, interaction: OAuthInteraction): void {
  const { t } = page;
  const action = `/interaction/${interaction.uid}`;
  page.render({
    title: t('oauth.consentTitle'),
    body: html`<p>${t('oauth.consentIntro', { app: interaction.client.name })}</p>
      <ul>
        ${interaction.scopes.flatMap((scope) => {
          const text = SCOPE_TEXT[scope];
          return text ? [html`<li>${t(text)}</li>`] : [];
        })}
      </ul>
      <p>${t('oauth.consentRevoke')}</p>
      ${postForm({ action: `${action}/consent`, csrf: page.session.csrf, submit: t('oauth.allow') })}
      ${postForm({ action: `${action}/deny`, csrf: page.session.csrf, submit: t('oauth.deny'), secondary: true })}`,
  });
}

/**
 * Passes the browser on to the provider with a page, not a redirect: a form's answer that redirects
 * to the app's own site would break the pages' `form-action 'self'` policy, which browsers apply to
 * redirects too.
 */
export function renderContinue(page: Page, location: string): void {
  const { t } = page;
  page.render({
    title: t('oauth.continueTitle'),
    head: html`<meta http-equiv="refresh" content=${`0;url=${location}`} />`,
    body: html`<p><a class="button" href=${location}>${t('oauth.continue')}</a></p>`,
  });
}

export function renderExpired(page: Page): void {
  const { t } = page;
  page.render({ status: 404, title: t('oauth.expiredTitle'), body: html`<p>${t('oauth.expiredBody')}</p>` });
}
