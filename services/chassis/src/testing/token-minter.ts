import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload, type KeyObject } from 'jose';

/** The claims and header of one token; each left out takes identity's value. */
export interface TokenOptions {
  roles?: string[];
  /** The `email_verified` claim; default true, as identity signs it for a verified address. */
  emailVerified?: boolean;
  sid?: string;
  kid?: string;
  typ?: string;
  issuer?: string;
  audience?: string;
  /** A time span from now ('5m', '-1m'); ignored when `expiresAt` is given. */
  expiresIn?: string;
  /** Seconds since the epoch, for tests that run on a clock of their own. */
  expiresAt?: number;
  /** Seconds since the epoch; default now. */
  issuedAt?: number;
  /** Another signing key than the minter's (a forgery under its key id). */
  key?: CryptoKey | KeyObject | Uint8Array;
}

/**
 * Signs access tokens the way identity does (EdDSA, `typ: at+jwt`, `sid`, `roles` and `email_verified` claims), so the
 * tests of every token check (the chassis's verifier, the gateway's, identity's own) forge and mint
 * from one place that follows identity's format.
 */
export class TokenMinter {
  private constructor(
    private readonly key: CryptoKey | KeyObject | Uint8Array,
    readonly kid: string,
    private readonly alg: string,
    /** The public key set a stand-in identity serves at /.well-known/jwks.json. */
    readonly jwks: { keys: JWK[] },
  ) {}

  /** A fresh key pair, published in `jwks` for a stand-in identity to serve. */
  static async generate(kid = 'test-key'): Promise<TokenMinter> {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    return new TokenMinter(pair.privateKey, kid, 'EdDSA', { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' }] });
  }

  /** One private JWK of identity's (a key of JWT_SIGNING_KEYS), to mint what identity could have signed. */
  static async fromJwk(jwk: JWK): Promise<TokenMinter> {
    if (!jwk.kid) throw new Error('the signing key has no kid');
    const alg = jwk.alg ?? 'EdDSA';
    const { d: _private, ...publicJwk } = jwk;
    return new TokenMinter(await importJWK(jwk, alg), jwk.kid, alg, { keys: [publicJwk] });
  }

  /** Identity's first signing key from JWT_SIGNING_KEYS (as `testSigningKeys()` makes them). */
  static async fromSigningKeys(signingKeys: string): Promise<TokenMinter> {
    const [jwk] = (JSON.parse(signingKeys) as { keys: JWK[] }).keys;
    if (!jwk) throw new Error('JWT_SIGNING_KEYS holds no key');
    return TokenMinter.fromJwk(jwk);
  }

  sign(subject: string, options: TokenOptions = {}): Promise<string> {
    const token = new SignJWT({
      sid: options.sid ?? '00000000-0000-4000-8000-000000000001',
      roles: options.roles ?? ['user'],
      email_verified: options.emailVerified ?? true,
    })
      .setProtectedHeader({ alg: this.alg, kid: options.kid ?? this.kid, typ: options.typ ?? 'at+jwt' })
      .setIssuer(options.issuer ?? 'solar-accounts')
      .setAudience(options.audience ?? 'solar-api')
      .setSubject(subject)
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresAt ?? options.expiresIn ?? '5m');
    return token.sign(options.key ?? this.key);
  }

  /**
   * Exactly these claims, with the header's fields over the minter's (`alg`, `kid`, `typ: at+jwt`): for
   * forgeries that must differ from a real token in one claim or header field only.
   */
  signPayload(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: this.alg, kid: this.kid, typ: 'at+jwt', ...header }).sign(this.key);
  }
}

/** An unsigned token (`alg: none`) that claims whatever it likes, valid in every other respect. */
export function unsignedToken(subject: string, roles = ['admin']): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1_000);
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ sub: subject, sid: 's', roles, email_verified: true, iss: 'solar-accounts', aud: 'solar-api', iat: now, exp: now + 300 })}.`;
}
