import type { Express } from 'express';
import type { ProblemCode } from '@solar/contracts';
import { problemSentence } from '../api/problem-messages';
import type { ApiProblem, ApiResult } from '../api/gateway-client';
import { pageOf, type Page } from '../http/page-context';
import { html } from '../views/html';
import type { MessageKey } from '../i18n/en';

/**
 * The first step of every emailed link: the GET that carries `?<param>=` moves the token into the
 * path's link cookie and answers 303 to the bare path, before the page or anything it loads can see
 * the address. The page then posts the token to the API in a body (security finding 12).
 */
function moveTokenOutOfUrl(app: Express, path: string): void {
  app.get(path, (req, res, next) => {
    const token = req.query.token;
    if (typeof token !== 'string' && !Array.isArray(token)) {
      next();
      return;
    }
    const page = pageOf(req);
    if (typeof token === 'string' && token.length > 0 && token.length <= 256) page.deps.links.store(res, path, token);
    page.redirect(path);
  });
}

/** The token the link left in its cookie, or null when the browser has none for this page. */
export function linkToken(page: Page, path: string): string | null {
  return page.deps.links.read(page.cookies[page.deps.links.name], path);
}

const LINK_PROBLEMS: Partial<Record<ProblemCode, { title: MessageKey; body: MessageKey }>> = {
  token_used: { title: 'link.usedTitle', body: 'link.usedBody' },
  token_expired: { title: 'link.expiredTitle', body: 'link.expiredBody' },
  token_invalid: { title: 'link.invalidTitle', body: 'link.invalidBody' },
  token_malformed: { title: 'link.invalidTitle', body: 'link.invalidBody' },
  validation_failed: { title: 'link.invalidTitle', body: 'link.invalidBody' },
};

export interface NextStep {
  text: MessageKey;
  href: string;
  label: MessageKey;
}

/** A used, expired or invalid link's own page, with the step that gets the person further. */
export function renderLinkProblem(page: Page, path: string, problem: ApiProblem | 'missing', next: NextStep): boolean {
  const { t } = page;
  const keys =
    problem === 'missing' ? { title: 'link.missingTitle' as const, body: 'link.missingBody' as const } : LINK_PROBLEMS[problem.code];
  if (!keys) return false;
  if (problem !== 'missing') page.deps.links.clear(page.res, path);
  page.render({
    status: 400,
    title: t(keys.title),
    body: html`<p>${t(keys.body)}</p>
      <p>${t(next.text)}</p>
      <p><a class="button" href=${next.href}>${t(next.label)}</a></p>`,
  });
  return true;
}

/** Any other problem: its sentence, on the page that was asked for. */
export function problemNotice(page: Page, problem: ApiProblem): string {
  return problemSentence(problem, page.t);
}

/** A page that an emailed link opens: one form whose POST spends the link's token with the API. */
export interface LinkPage<T> {
  path: string;
  /** Where a person goes when the link is used, expired, invalid or missing. */
  next: NextStep;
  /** The page with its form; again with the problem when the token was not the trouble. */
  renderForm(page: Page, view?: { error?: string; fieldErrors?: Record<string, string>; status?: number }): void;
  /** Spends the token; undefined when the form itself was refused and its page already rendered. */
  spend(page: Page, token: string): Promise<ApiResult<T> | undefined>;
  /** The token was spent: the page that says what happened. */
  done(page: Page, body: T): void;
  /** A problem this page shows in its own way (true when it rendered), before the link problems. */
  onProblem?(page: Page, result: { status: number; problem: ApiProblem }): boolean;
}

/** The GET that moves the token out of the URL, the page, and the POST that spends the token. */
export function linkPageRoutes<T>(app: Express, link: LinkPage<T>): void {
  moveTokenOutOfUrl(app, link.path);
  app.get(link.path, (req) => link.renderForm(pageOf(req)));
  app.post(link.path, async (req) => {
    const page = pageOf(req);
    const token = linkToken(page, link.path);
    if (!token) {
      renderLinkProblem(page, link.path, 'missing', link.next);
      return;
    }
    const result = await link.spend(page, token);
    if (!result) return;
    if (result.ok) {
      page.deps.links.clear(page.res, link.path);
      link.done(page, result.body);
      return;
    }
    if (link.onProblem?.(page, result)) return;
    if (renderLinkProblem(page, link.path, result.problem, link.next)) return;
    link.renderForm(page, { error: problemNotice(page, result.problem), status: result.status });
  });
}
