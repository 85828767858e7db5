import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../http/app-error';

export interface AccessTokenSettings {
  /** Identity's published keys, e.g. http://identity:3001/.well-known/jwks.json; not read when the keys are given. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Least time between two fetches of the key set (jose's cooldown); default 30 s. */
  refetchCooldownMs?: number;
  /** How many verified tokens are remembered (least recently used dropped first); default 10 000, 0 turns the cache off. */
  cacheEntries?: number;
  /**
   * Longest time a verified token is trusted without checking its signature again (never past its
   * own `exp`); default 60 s. A key identity withdraws keeps admitting the tokens it signed that were
   * seen in this window, for at most this long.
   */
  cacheMaxAgeMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

export interface VerifiedCaller {
  userId: string;
  roles: string[];
  /**
   * Whether the account's address was verified when the token was issued (`email_verified`). Admin
   * routes want it: a role on an unverified address may belong to whoever registered it first.
   */
  emailVerified: boolean;
  /** The session the token was issued for (`sid`), which identity checks is still live. */
  sessionId?: string;
  /**
   * Set for an access token from the OpenID Connect provider: the app it was issued to and the
   * scopes the account granted it, which decide the operations it may call (docs/oidc.md).
   */
  client?: { clientId: string; scopes: string[] };
}

export type AccessTokenVerifier = (token: string) => Promise<VerifiedCaller>;

/** The algorithms identity signs with; anything else (`none`, HS256 with a public key as secret) is refused. */
const ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Checks an identity access token as identity itself does (issuer, audience, `typ: at+jwt`,
 * algorithms, expiry), against the key set identity publishes. jose caches the keys and refetches
 * on an unknown `kid`, at most once per cooldown, so identity's key rotation needs nothing here and
 * a stream of forged key ids costs identity one fetch per cooldown.
 * The signature check was the gateway's largest CPU cost, and a client sends the same token for
 * minutes, so successful checks are remembered (see `VerifiedTokenCache`); failures are not.
 * Failures are AppErrors: `unauthorized` for the token, `service_unavailable` when the keys cannot be read.
 */
export function accessTokenVerifier(settings: AccessTokenSettings & { jwksUrl: string }, keys?: JWTVerifyGetKey): AccessTokenVerifier;
/** Against keys the caller holds (identity's own, as a local key set built once). */
export function accessTokenVerifier(settings: AccessTokenSettings, keys: JWTVerifyGetKey): AccessTokenVerifier;
export function accessTokenVerifier(settings: AccessTokenSettings, keys?: JWTVerifyGetKey): AccessTokenVerifier {
  const keySet =
    keys ??
    // The overloads require the URL whenever the keys are not given.
    createRemoteJWKSet(new URL(settings.jwksUrl!), {
      cooldownDuration: settings.refetchCooldownMs ?? 30_000,
      // jose keeps a fetched key set for 10 minutes by default: a key identity withdraws would go on
      // verifying new tokens that long. The same 60 s bound as the verified-token cache below.
      cacheMaxAge: 60_000,
      timeoutDuration: 2_000,
    });
  const now = settings.now ?? Date.now;
  const cache = new VerifiedTokenCache(settings.cacheEntries ?? 10_000, settings.cacheMaxAgeMs ?? 60_000, now);
  return async (token) => {
    const key = VerifiedTokenCache.key(token);
    const remembered = cache.get(key);
    if (remembered) return { ...remembered, roles: [...remembered.roles] };
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(now()),
      });
      const { sub, sid, roles, exp, email_verified: emailVerified } = payload;
      if (typeof sub !== 'string' || !Array.isArray(roles) || typeof exp !== 'number') throw new errors.JWTInvalid('claims missing');
      const caller: VerifiedCaller = {
        userId: sub,
        roles: roles.filter((role): role is string => typeof role === 'string'),
        // Only an explicit true: a token from before the claim existed counts as unverified.
        emailVerified: emailVerified === true,
        ...(typeof sid === 'string' ? { sessionId: sid } : {}),
      };
      cache.set(key, caller, exp * 1000, now());
      return { ...caller, roles: [...caller.roles] };
    } catch (error) {
      if (keySetUnavailable(error))
        throw new AppError('service_unavailable', 'Access tokens cannot be checked right now', { retryAfterSeconds: 5 });
      throw new AppError('unauthorized', 'The access token is missing, invalid or expired');
    }
  };
}

/**
 * Callers whose token passed the full check, keyed by the token's SHA-256 (the token itself is a
 * credential and is not kept). An entry lasts until the token's `exp` (jose refuses from `exp` on)
 * or `maxAgeMs`, whichever is sooner; at `maxEntries` the least recently used entry goes, so
 * many distinct tokens cannot grow it. A token differing in any byte hashes to another key and gets
 * the full check.
 */
class VerifiedTokenCache {
  private readonly entries: LRUCache<string, VerifiedCaller> | undefined;

  constructor(
    maxEntries: number,
    private readonly maxAgeMs: number,
    now: () => number,
  ) {
    // ttlResolution 0: staleness is judged on every read against `now`, never a clock reading lru-cache kept.
    this.entries = maxEntries > 0 ? new LRUCache({ max: maxEntries, ttlResolution: 0, perf: { now } }) : undefined;
  }

  static key(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(key: string): VerifiedCaller | undefined {
    return this.entries?.get(key);
  }

  set(key: string, caller: VerifiedCaller, expiresAt: number, now: number): void {
    // lru-cache serves an entry while its age is at most `ttl`; at `exp` itself the token is already refused.
    const ttl = Math.min(expiresAt - now, this.maxAgeMs) - 1;
    if (ttl > 0) this.entries?.set(key, caller, { ttl });
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none in that form. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header ?? '')?.[1];
}

/**
 * The key set could not be read (identity down, a network error, a bad answer): the caller's token
 * may be fine, so this is our outage (503), not their failure (401). Every other jose error is a
 * subclass of JOSEError describing the token itself.
 */
function keySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.constructor === errors.JOSEError;
  return true;
}
