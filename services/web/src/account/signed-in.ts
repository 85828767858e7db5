import type { ApiProblem } from '../api/gateway-client';
import { problemSentence } from '../api/problem-messages';
import type { Page } from '../http/page-context';

/** The access token of a signed-in browser; otherwise the browser is sent to sign in, and null. */
export async function signedIn(page: Page): Promise<string | null> {
  const accessToken = await page.accessToken();
  if (!accessToken) sessionEnded(page);
  return accessToken;
}

/** The API no longer knows this browser's session (signed out elsewhere, revoked, expired): sign in again. */
function sessionEnded(page: Page): void {
  const ended = page.session.auth !== undefined;
  if (ended) page.saveSession(page.deps.sessions.renewed(page.session, {}));
  page.redirect(ended ? '/login?done=session-ended' : '/login');
}

/**
 * A problem no form of the page can show beside a field: an ended session signs in again, anything
 * else is its sentence on an error page. By code, not status: a wrong password is a 401 too.
 */
export function renderApiProblem(page: Page, problem: ApiProblem): void {
  if (problem.code === 'unauthorized') {
    sessionEnded(page);
    return;
  }
  page.render({ status: problem.status, title: page.t('error.title'), body: problemSentence(problem, page.t) });
}
