/**
 * A native app's sign-in (RFC 8252, OAuth 2.0 for Native Apps) against Solar Accounts' OpenID Connect
 * provider: a public client (no secret in the app, PKCE alone protects the code), the system browser,
 * and a loopback redirect on a port the app picks at each sign-in (the provider ignores the port of a
 * registered `http://127.0.0.1/...` URI for native clients, RFC 8252 §7.3). A mobile app does the same
 * with its custom-scheme redirect (`com.example.app:/oauth/callback`) and AppAuth instead of the local
 * server. docs/oidc.md quotes this file; e2e/test/pages/oidc-flow.test.ts runs it with Chromium as the
 * system browser.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface NativeSignInOptions {
  issuer: URL;
  /** A client registered with "application_type": "native", "token_endpoint_auth_method": "none". */
  clientId: string;
  /** Opens the URL in the system browser; the user signs in there. */
  openBrowser: (url: string) => Promise<void>;
  /** Tests only: the local stack's issuer is plain http. */
  allowInsecureRequests?: boolean;
}

/** The registered redirect URI; the port is the app's choice at each sign-in. */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback';

export async function signInNative(options: NativeSignInOptions) {
  const config = await oidc.discovery(options.issuer, options.clientId, undefined, oidc.None(), {
    ...(options.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();

  // The loopback server answers one request: the provider's redirect with the code.
  let received: (url: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => (received = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Signed in: you can close this window.');
    received(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email offline_access',
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    await options.openBrowser(url.href);
    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: state });
    return {
      tokens,
      /** A public client refreshes without a secret; each refresh token works once. */
      refresh: (refreshToken: string) => oidc.refreshTokenGrant(config, refreshToken),
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
