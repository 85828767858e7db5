import type { Express } from 'express';
import { z } from 'zod';
import { PasskeyCreated, PasskeyOptionsResponse, PasskeyParams, TokenResponse } from '@solar/contracts';
import type { ApiProblem, ApiResult } from '../api/gateway-client';
import { problemSentence } from '../api/problem-messages';
import { renderApiProblem, signedIn } from '../account/signed-in';
import { pageOf, type Page } from '../http/page-context';
import { afterSignIn, forgetMfa, pendingMfaToken } from '../sign-in/sign-in.routes';

const AddOptionsForm = z.object({ name: z.string().default(''), password: z.string().default('') });
const AddForm = z.object({ name: z.string().default(''), credential: z.string().default('') });
const Step = z.enum(['sign-in', 'second-factor']).catch('sign-in');
const SignInForm = z.object({ step: Step, credential: z.string().default('') });
const RemoveForm = z.object({ passkey: PasskeyParams.shape.id, password: z.string().min(1) });

/** What the passkey script reads: a place to go, the options for the authenticator, or a sentence to show. */
type Answer = { redirect: string } | { error: string } | PasskeyOptionsResponse;

function reply(page: Page, status: number, answer: Answer): void {
  page.res.status(status).set('cache-control', 'no-store').json(answer);
}

/** The browser's session ended while the script ran: it signs in again, as a form post would. */
function sessionEnded(page: Page): void {
  if (page.session.auth) page.saveSession(page.deps.sessions.renewed(page.session, {}));
  reply(page, 401, { redirect: '/login?done=session-ended' });
}

function refuse(page: Page, problem: ApiProblem): void {
  reply(page, problem.status, { error: problemSentence(problem, page.t) });
}

/** The authenticator's answer as the script sent it (JSON in a form field); the API checks its shape. */
function credentialOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Adding a passkey from the account page: the password (and the name, checked before the
 * authenticator is bothered) for the creation options, then the authenticator's answer.
 */
function addRoutes(app: Express): void {
  app.post('/account/passkeys/options', async (req) => {
    const page = pageOf(req);
    const accessToken = await page.accessToken();
    if (!accessToken) return sessionEnded(page);
    const form = AddOptionsForm.parse(page.form());
    const name = form.name.trim();
    if (!name || [...name].length > 64) return reply(page, 400, { error: page.t(name ? 'passkeys.nameTooLong' : 'passkeys.nameRequired') });
    if (!form.password) return reply(page, 400, { error: page.t('passkeys.passwordRequired') });
    const result = await page.api(
      { method: 'POST', path: '/auth/passkeys/registration/options', accessToken, body: { password: form.password } },
      PasskeyOptionsResponse,
    );
    if (!result.ok && result.problem.code === 'invalid_credentials') return reply(page, 401, { error: page.t('passkeys.wrongPassword') });
    answerOptions(page, result);
  });
  app.post('/account/passkeys', async (req) => {
    const page = pageOf(req);
    const accessToken = await page.accessToken();
    if (!accessToken) return sessionEnded(page);
    const form = AddForm.parse(page.form());
    const result = await page.api(
      {
        method: 'POST',
        path: '/auth/passkeys/registration/verify',
        accessToken,
        body: { name: form.name.trim(), credential: credentialOf(form.credential) },
      },
      PasskeyCreated,
    );
    if (result.ok) return reply(page, 200, { redirect: '/account?done=passkey-added' });
    if (result.problem.code === 'unauthorized') return sessionEnded(page);
    refuse(page, result.problem);
  });
  app.post('/account/passkeys/remove', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = RemoveForm.safeParse(page.form());
    if (!form.success) return page.redirect('/account');
    const { passkey, password } = form.data;
    const result = await page.api({ method: 'DELETE', path: `/auth/passkeys/${passkey}`, accessToken, body: { password } }, z.unknown());
    if (result.ok || result.problem.code === 'not_found') return page.redirect('/account?done=passkey-removed');
    renderApiProblem(page, result.problem);
  });
}

function answerOptions(page: Page, result: ApiResult<PasskeyOptionsResponse>): void {
  if (result.ok) return reply(page, 200, { options: result.body.options });
  if (result.problem.code === 'unauthorized') return sessionEnded(page);
  refuse(page, result.problem);
}

/**
 * Signing in with a passkey: alone from the sign-in page (its button or the browser's autofill), or
 * as the second step of a two-factor sign-in, with the pending mfa_token kept in the session.
 */
function signInRoutes(app: Express): void {
  app.post('/login/passkey/options', async (req) => {
    const page = pageOf(req);
    const { step } = SignInForm.parse(page.form());
    const mfaToken = step === 'second-factor' ? pendingMfa(page) : undefined;
    if (mfaToken === null) return;
    const result = await page.api(
      { method: 'POST', path: '/auth/passkeys/authentication/options', body: mfaToken ? { mfaToken } : {} },
      PasskeyOptionsResponse,
    );
    if (!result.ok && result.problem.code === 'not_found') return reply(page, 404, { error: page.t('passkeys.noneForSecondFactor') });
    if (!result.ok && result.problem.code === 'unauthorized') return twoFactorExpired(page);
    answerOptions(page, result);
  });
  app.post('/login/passkey', async (req) => {
    const page = pageOf(req);
    const form = SignInForm.parse(page.form());
    const mfaToken = form.step === 'second-factor' ? pendingMfa(page) : undefined;
    if (mfaToken === null) return;
    const credential = credentialOf(form.credential);
    const result = await page.api(
      { method: 'POST', path: '/auth/passkeys/authentication/verify', body: { credential, ...(mfaToken ? { mfaToken } : {}) } },
      TokenResponse,
    );
    if (result.ok) {
      page.signIn(result.body, true);
      return reply(page, 200, { redirect: afterSignIn(page) });
    }
    if (mfaToken && result.problem.code === 'unauthorized') return twoFactorExpired(page);
    // Not the password's sentence: no password was given.
    if (result.problem.code === 'invalid_credentials') return reply(page, 401, { error: page.t('passkeys.refused') });
    refuse(page, result.problem);
  });
}

/** The pending second step's mfa_token, or null after telling the script to start the sign-in again. */
function pendingMfa(page: Page): string | null {
  const token = pendingMfaToken(page);
  if (!token) reply(page, 401, { redirect: '/login?done=two-factor-expired' });
  return token;
}

function twoFactorExpired(page: Page): void {
  forgetMfa(page);
  reply(page, 401, { redirect: '/login?done=two-factor-expired' });
}

export function passkeyRoutes(app: Express): void {
  addRoutes(app);
  signInRoutes(app);
}
