/**
 * A web app that signs its users in with Solar Accounts' OpenID Connect provider, on openid-client
 * and node:http alone: a confidential client (it keeps a secret on its server), the code flow with
 * PKCE, its own session cookie, a refresh of the tokens, and RP-initiated logout. docs/oidc.md
 * quotes this file; e2e/test/pages/oidc-flow.test.ts drives it in Chromium against the real stack.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface WebAppOptions {
  /** The provider's issuer, e.g. https://accounts.example.com. */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Where the app listens; its public URL is http://host:port (put it behind TLS in production). */
  host?: string;
  port?: number;
  /** Tests only: the local stack's issuer is plain http. */
  allowInsecureRequests?: boolean;
  /** Told of every token set the app receives (an app might store them elsewhere; the test checks them). */
  onTokens?: (tokens: oidc.TokenEndpointResponse) => void;
}

/** What the app keeps per browser, on its server; the browser holds only the session's random id. */
interface AppSession {
  /** While signing in: the PKCE verifier, state and nonce this browser's request was made with. */
  pending?: { verifier: string; state: string; nonce: string };
  tokens?: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}

const COOKIE = 'app_session';

export async function startWebApp(options: WebAppOptions): Promise<{ url: string; close(): Promise<void> }> {
  const config = await oidc.discovery(options.issuer, options.clientId, options.clientSecret, undefined, {
    ...(options.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
  const sessions = new Map<string, AppSession>();
  let base = '';

  const sessionOf = (req: IncomingMessage, res: ServerResponse): AppSession => {
    const id = /(?:^|;\s*)app_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const found = id ? sessions.get(id) : undefined;
    if (found) return found;
    const fresh = randomBytes(32).toString('base64url');
    const session: AppSession = {};
    sessions.set(fresh, session);
    // Lax: the browser sends it on the provider's redirect back to /callback, a top-level GET.
    res.setHeader('set-cookie', `${COOKIE}=${fresh}; HttpOnly; SameSite=Lax; Path=/${base.startsWith('https:') ? '; Secure' : ''}`);
    return session;
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, session: AppSession) => Promise<void>> = {
    // Sign-in: fresh PKCE verifier, state and nonce for this browser, then off to the provider.
    'GET /login': async (_req, res, session) => {
      const pending = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
      session.pending = pending;
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${base}/callback`,
        scope: 'openid email profile offline_access',
        // offline_access (a refresh token) is granted only with an explicit consent (OIDC Core §11).
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      redirect(res, url.href);
    },
    // The provider's answer: the code exchanged with the verifier; the ID token checked against the provider's keys.
    'GET /callback': async (req, res, session) => {
      const pending = session.pending;
      if (!pending) return send(res, 400, 'No sign-in under way in this browser.');
      delete session.pending;
      session.tokens = await oidc.authorizationCodeGrant(config, new URL(req.url ?? '/', base), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      options.onTokens?.(session.tokens);
      redirect(res, '/');
    },
    'GET /': async (_req, res, session) => {
      const email = session.tokens?.claims()?.['email'];
      const body =
        typeof email === 'string'
          ? `<p>Signed in as ${escapeHtml(email)}</p><form method="post" action="/logout"><button>Sign out</button></form>`
          : '<p>Signed out</p><p><a href="/login">Sign in</a></p>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Example app</title>${body}`);
    },
    // The account's current claims, with the access token; refreshed first when it is about to end.
    'GET /me': async (_req, res, session) => {
      if (!session.tokens) return send(res, 401, 'Signed out');
      if ((session.tokens.expiresIn() ?? 0) < 60) await refresh(session);
      const tokens = session.tokens;
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub ?? oidc.skipSubjectCheck);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(userinfo));
    },
    // Not needed by an app that lets /me refresh; here so a test can see a refresh happen.
    'POST /refresh': async (_req, res, session) => {
      if (!session.tokens) return send(res, 401, 'Signed out');
      await refresh(session);
      send(res, 200, 'Refreshed');
    },
    // RP-initiated logout: the app forgets the tokens and asks the provider to end its session too.
    'POST /logout': async (_req, res, session) => {
      const idToken = session.tokens?.id_token;
      delete session.tokens;
      if (!idToken) return redirect(res, '/');
      redirect(res, oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${base}/` }).href);
    },
  };

  // A rotated refresh token replaces the old one, which is dead from now on. The provider answers a
  // new ID token too, so the sign-out below has a current hint.
  const refresh = async (session: AppSession) => {
    if (!session.tokens?.refresh_token) throw new Error('no refresh token');
    session.tokens = await oidc.refreshTokenGrant(config, session.tokens.refresh_token);
    options.onTokens?.(session.tokens);
  };

  const server = createServer((req, res) => {
    const route = routes[`${req.method} ${new URL(req.url ?? '/', base).pathname}`];
    if (!route) return send(res, 404, 'Not found');
    route(req, res, sessionOf(req, res)).catch((error: unknown) => send(res, 502, `Sign-in failed: ${errorCode(error)}`));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  base = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const redirect = (res: ServerResponse, location: string) => void res.writeHead(303, { location }).end();
const send = (res: ServerResponse, status: number, text: string) =>
  void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
/** The OAuth error code (invalid_grant...) of a refused exchange, never the tokens or the library's details. */
const errorCode = (error: unknown) =>
  error instanceof oidc.ResponseBodyError ? error.error : error instanceof Error ? error.name : 'unknown error';
