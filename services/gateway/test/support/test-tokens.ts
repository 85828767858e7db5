import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';

export interface TokenOptions {
  roles?: string[];
  kid?: string;
  typ?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
  key?: CryptoKey | KeyObject | Uint8Array;
}

/** Signs access tokens the way identity does (EdDSA, `typ: at+jwt`, `sid` and `roles` claims). */
export class TokenMinter {
  private constructor(
    private readonly key: CryptoKey | KeyObject | Uint8Array,
    private readonly kid: string,
    readonly jwks: { keys: JWK[] },
  ) {}

  /** A fresh key pair, published in `jwks` for a stand-in identity to serve. */
  static async generate(kid = 'test-key'): Promise<TokenMinter> {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    return new TokenMinter(pair.privateKey, kid, { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' }] });
  }

  /** Identity's own signing key (from JWT_SIGNING_KEYS), to mint what identity could have signed. */
  static async fromSigningKeys(signingKeys: string): Promise<TokenMinter> {
    const [jwk] = (JSON.parse(signingKeys) as { keys: JWK[] }).keys;
    const { d: _private, ...publicJwk } = jwk!;
    return new TokenMinter(await importJWK(jwk!, 'EdDSA'), jwk!.kid!, { keys: [publicJwk] });
  }

  sign(subject: string, options: TokenOptions = {}): Promise<string> {
    return new SignJWT({ sid: '00000000-0000-4000-8000-000000000001', roles: options.roles ?? ['user'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? this.kid, typ: options.typ ?? 'at+jwt' })
      .setIssuer(options.issuer ?? 'solar-accounts')
      .setAudience(options.audience ?? 'solar-api')
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? this.key);
  }
}

/** An unsigned token (`alg: none`) that claims whatever it likes. */
export function unsignedToken(subject: string, roles = ['admin']): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1_000);
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ sub: subject, sid: 's', roles, iss: 'solar-accounts', aud: 'solar-api', iat: now, exp: now + 300 })}.`;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A pass-through in front of a real service that records what reached it. */
export async function recordingProxy(target: string): Promise<{ url: string; seen: RecordedRequest[]; close(): Promise<void> }> {
  const seen: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const forwarded = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
