import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESSION_INTROSPECTION_PATH } from '@solar/contracts';

const KID = 'admin-test';
/** The session of tokens whose sign-in is past identity's ADMIN_REAUTH_WINDOW. */
const STALE_SESSION = 'session-signed-in-long-ago';
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Identity's side of admin authentication: a key set served as identity serves it
 * (`/.well-known/jwks.json`), EdDSA access tokens (`typ: at+jwt`) signed with it, and its session
 * introspection answering every session as live, and signed into recently unless the token was
 * made with `staleSignIn`.
 */
export async function startTokenIssuer() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'EdDSA', use: 'sig' };
  const server: Server = createServer((req, res) => {
    // Identity's session introspection, as for a session that stands: the roles the token carries.
    if (req.url === SESSION_INTROSPECTION_PATH) {
      const payload = (req.headers.authorization ?? '').split('.')[1] ?? '';
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; sid: string; roles: string[] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          userId: claims.sub,
          sessionId: claims.sid,
          roles: claims.roles,
          signedInRecently: claims.sid !== STALE_SESSION,
          reauthWindowSeconds: 300,
        }),
      );
      return;
    }
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token(roles: string[], { staleSignIn = false } = {}): string {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url({ alg: 'EdDSA', kid: KID, typ: 'at+jwt' });
      const payload = b64url({
        iss: 'solar-accounts',
        aud: 'solar-api',
        sub: 'admin-user',
        sid: staleSignIn ? STALE_SESSION : 'session-1',
        roles,
        // As identity signs it for a verified address: admin routes refuse a token without it.
        email_verified: true,
        iat: now,
        exp: now + 300,
      });
      const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
