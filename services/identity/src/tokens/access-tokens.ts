import { createLocalJWKSet, importJWK, SignJWT, type CryptoKey, type JWK, type JSONWebKeySet } from 'jose';
import { accessTokenVerifier, AppError, type AccessTokenVerifier } from '@solar/chassis';
import type { SigningJwk } from './signing-keys';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: string[];
  /** Whether the address was verified at issue (`email_verified`); admin routes require it. */
  emailVerified: boolean;
  /** Set when an app calls with an access token from the OpenID Connect provider: the app's client id. */
  clientId?: string;
}

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlMs: number;
  clock: () => Date;
}

/** Signs with the newest private key and verifies against every published one. */
export class AccessTokens {
  private constructor(
    private readonly signer: { kid: string; alg: string; key: CryptoKey | Uint8Array },
    private readonly published: JSONWebKeySet,
    private readonly settings: AccessTokenSettings,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  static async create(keys: SigningJwk[], settings: AccessTokenSettings): Promise<AccessTokens> {
    const signing = keys.find((key) => key.d);
    if (!signing) throw new Error('no signing key');
    const key = await importJWK(signing as JWK, signing.alg);
    const published = { keys: keys.map(({ d: _private, ...publicPart }) => ({ ...publicPart, use: 'sig' })) };
    // The gateway's check, against identity's own published keys as a key set built once.
    const verifier = accessTokenVerifier(
      { issuer: settings.issuer, audience: settings.audience, now: () => settings.clock().getTime() },
      createLocalJWKSet(published),
    );
    return new AccessTokens({ kid: signing.kid, alg: signing.alg, key }, published, settings, verifier);
  }

  get expiresInSeconds(): number {
    return Math.floor(this.settings.ttlMs / 1000);
  }

  jwks(): JSONWebKeySet {
    return this.published;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.settings.clock().getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId, roles: claims.roles, email_verified: claims.emailVerified })
      .setProtectedHeader({ alg: this.signer.alg, kid: this.signer.kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(claims.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.expiresInSeconds)
      .sign(this.signer.key);
  }

  /** Any failure, whatever its cause (forged, expired, unknown key, other audience), is one 401. */
  async verify(token: string): Promise<AccessClaims> {
    const { userId, sessionId, roles, emailVerified } = await this.verifier(token);
    if (!sessionId) throw new AppError('unauthorized', 'The access token is missing, invalid or expired');
    return { userId, sessionId, roles, emailVerified };
  }
}
