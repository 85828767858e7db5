import { z } from 'zod';
import { PROBLEM_STATUS, type ProblemCode } from '@solar/contracts';
import type { ApiProblem } from '../api/gateway-client';
import { renderApiProblem, signedIn } from '../account/signed-in';
import type { Page } from '../http/page-context';
import { tokenRoles } from '../session/token-roles';
import { html } from '../views/html';

/**
 * The access token of a signed-in admin. Signed out: sent to sign in. Signed in without the role:
 * the 403 page, before any call (the API refuses such a token anyway, and its answer gets the same page).
 */
export async function adminToken(page: Page): Promise<string | null> {
  const accessToken = await signedIn(page);
  if (!accessToken) return null;
  if (tokenRoles(accessToken).includes('admin')) return accessToken;
  renderForbidden(page);
  return null;
}

function renderForbidden(page: Page): void {
  page.render({ status: 403, title: page.t('admin.forbiddenTitle'), body: html`<p>${page.t('admin.forbiddenBody')}</p>` });
}

/**
 * A problem of an admin call: no role is the 403 page; an action that wants a fresher sign-in
 * (`reauthentication_required`, identity's ADMIN_REAUTH_WINDOW) sends the admin to sign in again
 * and brings them back to `returnTo`; anything else is its sentence on an error page.
 */
export async function renderAdminProblem(page: Page, problem: ApiProblem, returnTo: string): Promise<void> {
  if (problem.code === 'forbidden') return renderForbidden(page);
  if (problem.code === 'reauthentication_required') return signInAgain(page, returnTo);
  renderApiProblem(page, problem);
}

/** Ends this browser's API session (the fresh sign-in replaces it) and keeps where to come back to. */
async function signInAgain(page: Page, returnTo: string): Promise<void> {
  const accessToken = page.session.auth?.accessToken;
  if (accessToken) await page.api({ method: 'POST', path: '/auth/logout', accessToken, body: { all: false } }, z.unknown());
  page.saveSession(page.deps.sessions.renewed(page.session, { returnTo }));
  page.redirect('/login?done=admin-reauth');
}

/** Problems about the admin rather than what was acted on: the whole page answers them. */
const PAGE_WIDE = new Set<ProblemCode>(['forbidden', 'reauthentication_required', 'unauthorized']);

/**
 * A refused action: back to `path` with the refusal's code (already so, decided already, the last
 * admin), which the page shows as its sentence; a problem of the admin's own goes to renderAdminProblem.
 */
export async function afterRefusal(page: Page, problem: ApiProblem, path: string): Promise<void> {
  if (PAGE_WIDE.has(problem.code)) return renderAdminProblem(page, problem, path);
  page.redirect(`${path}?problem=${problem.code}`);
}

/** A problem code carried back to a page by its redirect (`?problem=`), or undefined when it is not one. */
export function problemParam(value: unknown): ApiProblem | undefined {
  if (typeof value !== 'string' || !(value in PROBLEM_STATUS)) return undefined;
  const code = value as ProblemCode;
  return { code, status: PROBLEM_STATUS[code], errors: [] };
}
