import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { z } from 'zod';
import { TokenResponse } from '@solar/contracts';
import type { Logger } from '@solar/chassis';
import type { ApiCall, ApiResult, GatewayClient } from '../api/gateway-client';
import type { Brand } from '@solar/chassis';
import { localeOf, switchLanguage, translator, type Locale, type Translate } from '../i18n/locale';
import type { LinkCookies, SessionCookies, SessionData } from '../session/browser-session';
import { csrfRefusal } from '../session/csrf';
import { tokenRoles } from '../session/token-roles';
import type { TokenRefresher } from '../session/token-refresher';
import { layout } from '../views/layout';
import type { Markup } from '../views/html';
import { html } from '../views/html';

export interface PageDeps {
  api: GatewayClient;
  refresher: TokenRefresher;
  sessions: SessionCookies;
  links: LinkCookies;
  brand: Brand;
  /** The origin the browser sees the pages on; a POST naming another Origin is refused. */
  publicOrigin: string;
  secure: boolean;
  clock: () => Date;
  logger: Logger;
}

/** One request to a page: its language, session and the ways to answer it. */
export class Page {
  readonly t: Translate;

  constructor(
    readonly req: Request,
    readonly res: Response,
    readonly deps: PageDeps,
    readonly locale: Locale,
    readonly cookies: Record<string, string | undefined>,
    public session: SessionData,
  ) {
    this.t = translator(locale);
  }

  /** The browser's address as the trusted hops (TRUST_PROXY) report it. */
  get clientIp(): string {
    return this.req.ip ?? this.req.socket.remoteAddress ?? '';
  }

  /** The submitted form's fields (urlencoded, parsed by the chassis app), as strings. */
  form(): Record<string, string> {
    const body: unknown = this.req.body;
    if (typeof body !== 'object' || body === null) return {};
    return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  saveSession(session: SessionData): void {
    this.session = session;
    this.deps.sessions.write(this.res, session);
  }

  api<T>(call: Omit<ApiCall, 'clientIp' | 'requestId' | 'userAgent'>, schema: z.ZodType<T>): Promise<ApiResult<T>> {
    // The chassis gave the request its id (x-request-id); the API's log lines carry the same one.
    const requestId = this.res.getHeader('x-request-id');
    const userAgent = this.req.get('user-agent');
    return this.deps.api.call(
      {
        ...call,
        clientIp: this.clientIp,
        ...(typeof requestId === 'string' ? { requestId } : {}),
        ...(userAgent ? { userAgent } : {}),
      },
      schema,
    );
  }

  /**
   * The access token of a signed-in browser, refreshed through the API when it is about to expire,
   * or null when the browser is not (or no longer) signed in.
   */
  async accessToken(): Promise<string | null> {
    const auth = this.session.auth;
    if (!auth) return null;
    if (auth.expiresAt - 30_000 > this.deps.clock().getTime()) return auth.accessToken;
    const refreshed = await this.deps.refresher.refresh(auth.refreshToken, () =>
      this.api({ method: 'POST', path: '/auth/token/refresh', body: { refresh_token: auth.refreshToken } }, TokenResponse),
    );
    if (!refreshed.ok) {
      if (refreshed.status === 401) this.saveSession(this.deps.sessions.renewed(this.session, {}));
      return null;
    }
    this.signIn(refreshed.body, false);
    return refreshed.body.access_token;
  }

  /** Keeps the API's tokens in the session; at sign-in with a new session id and CSRF token. */
  signIn(tokens: TokenResponse, renew: boolean): void {
    const auth = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: this.deps.clock().getTime() + tokens.expires_in * 1000,
    };
    this.saveSession(renew ? this.deps.sessions.renewed(this.session, { auth }) : { ...this.session, auth });
  }

  redirect(location: string): void {
    this.res.redirect(303, location);
  }

  render(options: { title: string; body: Markup; status?: number; head?: Markup }): void {
    this.res
      .status(options.status ?? 200)
      .type('html')
      .set('cache-control', 'no-store')
      .send(
        layout({
          locale: this.locale,
          t: this.t,
          brand: this.deps.brand,
          csrf: this.session.csrf,
          signedIn: this.session.auth !== undefined,
          admin: this.session.auth ? tokenRoles(this.session.auth.accessToken).includes('admin') : false,
          path: this.req.path,
          title: options.title,
          body: options.body,
          ...(options.head ? { head: options.head } : {}),
        }),
      );
  }
}

const pages = new WeakMap<Request, Page>();

/** The Page of a request that went through pageContext. */
export function pageOf(req: Request): Page {
  const page = pages.get(req);
  if (!page) throw new Error('pageContext did not run for this request');
  return page;
}

/**
 * Before every page: the language (and its switch), the browser session (created on the first
 * visit, so the first form already carries a CSRF token), and the CSRF check of every POST.
 */
export function pageContext(deps: PageDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const cookies = parseCookies(req.headers.cookie ?? '');
    if (switchLanguage(req, res, deps.secure)) return;
    const existing = deps.sessions.open(cookies[deps.sessions.name]);
    const session = existing ?? deps.sessions.fresh();
    if (!existing) deps.sessions.write(res, session);
    const page = new Page(req, res, deps, localeOf(req, cookies), cookies, session);
    pages.set(req, page);
    if (req.method === 'POST') {
      const refusal = csrfRefusal({
        origin: req.headers.origin,
        secFetchSite: typeof req.headers['sec-fetch-site'] === 'string' ? req.headers['sec-fetch-site'] : undefined,
        expectedOrigin: deps.publicOrigin,
        formToken: page.form()._csrf,
        // A session created for this very request has no token a form could already carry.
        sessionToken: existing?.csrf,
      });
      if (refusal) {
        deps.logger.warn({ reason: refusal, path: req.path }, 'refused a form post (CSRF check)');
        page.render({ status: 403, title: page.t('csrf.title'), body: html`<p>${page.t('csrf.body')}</p>` });
        return;
      }
    }
    next();
  };
}
