import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JSONWebKeySet } from 'jose';
import { AppError } from '@solar/chassis';
import { SIGNING_ALGORITHMS, type SigningJwk } from './signing-keys';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: string[];
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
  ) {}

  static async create(keys: SigningJwk[], settings: AccessTokenSettings): Promise<AccessTokens> {
    const signing = keys.find((key) => key.d);
    if (!signing) throw new Error('no signing key');
    const key = await importJWK(signing as JWK, signing.alg);
    const published = { keys: keys.map(({ d: _private, ...publicPart }) => ({ ...publicPart, use: 'sig' })) };
    return new AccessTokens({ kid: signing.kid, alg: signing.alg, key }, published, settings);
  }

  get expiresInSeconds(): number {
    return Math.floor(this.settings.ttlMs / 1000);
  }

  jwks(): JSONWebKeySet {
    return this.published;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.settings.clock().getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId, roles: claims.roles })
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
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.published), {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: [...SIGNING_ALGORITHMS],
        typ: 'at+jwt',
        currentDate: this.settings.clock(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, sid, roles } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || !Array.isArray(roles)) throw new Error('claims missing');
      return { userId: sub, sessionId: sid, roles: roles.filter((role): role is string => typeof role === 'string') };
    } catch {
      throw new AppError('unauthorized', 'The access token is missing, invalid or expired');
    }
  }
}
