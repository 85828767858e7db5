import type { Express } from 'express';
import { INTERACTION_PROOF_HEADER, OAuthInteraction, OAuthInteractionDone, OAuthInteractionParams } from '@solar/contracts';
import { renderApiProblem } from '../account/signed-in';
import type { ApiResult } from '../api/gateway-client';
import { pageOf, type Page } from '../http/page-context';
import { renderConsent, renderContinue, renderExpired } from './interaction.page';

/**
 * The sign-in and consent steps of an app's OpenID Connect request (docs/oidc.md). The provider sends
 * the browser to /interaction/{uid}; these pages sign in as always (the same form, second factor and
 * limits), then tell the provider through the API and pass the browser back to it.
 */
export function interactionRoutes(app: Express): void {
  app.get('/interaction/:uid', async (req) => {
    const page = pageOf(req);
    const uid = uidOf(page);
    if (!uid) return;
    const token = await page.accessToken();
    if (!token) return void toSignIn(page, uid, '/login');
    const asked = await page.api({ method: 'GET', path: `/oauth/interactions/${uid}`, accessToken: token }, OAuthInteraction);
    if (!asked.ok) return void answerProblem(page, uid, asked);
    const { prompt, client } = asked.body;
    if (prompt === 'consent' && !client.firstParty) return void renderConsent(page, asked.body);
    const step = prompt === 'login' ? 'login' : 'consent';
    const done = await finishStep(page, uid, step, token);
    if (!done.ok && done.problem.code === 'forbidden' && step === 'login') {
      // The app wants a sign-in made now (prompt=login, max_age): this browser signs in again.
      page.saveSession(page.deps.sessions.renewed(page.session, { oauth: { uid } }));
      return void page.redirect('/login?done=fresh-sign-in');
    }
    passOn(page, uid, done);
  });

  for (const step of ['consent', 'deny'] as const) {
    app.post(`/interaction/:uid/${step}`, async (req) => {
      const page = pageOf(req);
      const uid = uidOf(page);
      if (!uid) return;
      const token = await page.accessToken();
      if (!token) return void toSignIn(page, uid, '/login');
      passOn(page, uid, await finishStep(page, uid, step, token));
    });
  }
}

/**
 * One step of the interaction, with the signature of the provider's `_interaction` cookie, which the
 * browser sends to this path only: identity checks the browser that finishes is the one that started.
 */
function finishStep(page: Page, uid: string, step: 'login' | 'consent' | 'deny', accessToken: string) {
  const proof = page.cookies['_interaction.sig'];
  return page.api(
    {
      method: 'POST',
      path: `/oauth/interactions/${uid}/${step}`,
      accessToken,
      ...(proof ? { headers: { [INTERACTION_PROOF_HEADER]: proof } } : {}),
    },
    OAuthInteractionDone,
  );
}

function uidOf(page: Page): string | null {
  const parsed = OAuthInteractionParams.safeParse(page.req.params);
  if (parsed.success) return parsed.data.uid;
  renderExpired(page);
  return null;
}

function toSignIn(page: Page, uid: string, location: string): void {
  page.saveSession({ ...page.session, oauth: { uid } });
  page.redirect(location);
}

function answerProblem(page: Page, uid: string, result: Extract<ApiResult<unknown>, { ok: false }>): void {
  if (result.problem.code === 'not_found') return void renderExpired(page);
  if (result.problem.code === 'unauthorized') return void toSignIn(page, uid, '/login?done=session-ended');
  renderApiProblem(page, result.problem);
}

/** Back to the provider, which answers the app; only ever to our own origin. */
function passOn(page: Page, uid: string, result: ApiResult<OAuthInteractionDone>): void {
  if (!result.ok) return void answerProblem(page, uid, result);
  const { oauth: _done, ...session } = page.session;
  page.saveSession(session);
  const next = new URL(result.body.redirectTo);
  if (next.origin !== page.deps.publicOrigin) return void renderExpired(page);
  renderContinue(page, `${next.pathname}${next.search}`);
}
