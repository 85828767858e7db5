import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import { ProviderTokenIntrospection, SESSION_INTROSPECTION_PATH, SessionIntrospection } from '@solar/contracts';
import { AppError } from '../http/app-error';

/**
 * The roles the bearer's session has now, and whether it was signed into within identity's
 * ADMIN_REAUTH_WINDOW; throws `unauthorized` when it has ended, `service_unavailable` when identity cannot say.
 */
export type SessionCheck = (token: string) => Promise<SessionStanding>;

export interface SessionStanding {
  roles: string[];
  signedInRecently: boolean;
  reauthWindowSeconds?: number | undefined;
}

/**
 * Who an access token from the OpenID Connect provider speaks for, and with which scopes; throws
 * `unauthorized` for a token identity does not know as live, `service_unavailable` when identity cannot say.
 */
export type ProviderTokenCheck = (token: string) => Promise<ProviderTokenIntrospection>;

export interface SessionIntrospectionSettings {
  /** Identity's `GET /internal/session` (or `/internal/provider-token`). */
  url: string;
  /**
   * How long a live answer is reused for the same token: a logout, revocation or demotion takes
   * effect within this. Default 5 s.
   */
  cacheMs?: number;
  /** Distinct tokens remembered (least recently used dropped first); default 1 000. */
  cacheEntries?: number;
  /** Longest wait for identity; default 2 s. */
  timeoutMs?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

/**
 * Asks identity about a bearer token at one of its internal endpoints, with a short cache of live
 * answers keyed by the token's hash (the token itself is never kept): one request to identity per
 * token per `cacheMs`, bounded. Refusals are not cached, so a token refused once is asked about again.
 */
function identityIntrospector<T extends object>(schema: z.ZodType<T>, settings: SessionIntrospectionSettings, ended: string) {
  const now = settings.now ?? Date.now;
  const cacheMs = settings.cacheMs ?? 5_000;
  const live =
    cacheMs > 1
      ? // lru-cache serves an entry while its age is at most `ttl`: minus 1 so `cacheMs` after the answer it is asked again.
        new LRUCache<string, T>({ max: settings.cacheEntries ?? 1_000, ttl: cacheMs - 1, ttlResolution: 0, perf: { now } })
      : undefined;
  return async (token: string): Promise<T> => {
    const key = createHash('sha256').update(token).digest('base64');
    const remembered = live?.get(key);
    if (remembered) return structuredClone(remembered);
    let response: Response;
    try {
      response = await fetch(settings.url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(settings.timeoutMs ?? 2_000),
      });
    } catch {
      throw unavailable();
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw new AppError('unauthorized', ended);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable();
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw unavailable();
    live?.set(key, parsed.data);
    return structuredClone(parsed.data);
  };
}

/**
 * Asks identity whether the session behind a (verified) access token still stands and what roles
 * its user has now. A signature proves only that the token was issued: the session behind it can
 * have been logged out, revoked on refresh-token reuse, or its user demoted since, and the token
 * stays valid until `exp` (15 min). Admin routes outside identity ask here, per token, with a short
 * cache. Refusals are not cached (they are rare: the token passed its signature check first).
 */
export function sessionIntrospector(settings: SessionIntrospectionSettings): SessionCheck {
  const check = identityIntrospector(SessionIntrospection, settings, 'The session has ended');
  return async (token) => {
    const { roles, signedInRecently, reauthWindowSeconds } = await check(token);
    return { roles, signedInRecently, reauthWindowSeconds };
  };
}

/**
 * Asks identity whether an opaque access token of its OpenID Connect provider is live (issued,
 * not expired, not revoked, its grant, client, account and identity session still standing) and
 * whom it speaks for. A revocation takes effect here within `cacheMs`.
 */
export function providerTokenIntrospector(settings: SessionIntrospectionSettings): ProviderTokenCheck {
  return identityIntrospector(ProviderTokenIntrospection, settings, 'The access token is missing, invalid or expired');
}

function unavailable(): AppError {
  return new AppError('service_unavailable', 'Cannot check the access token with identity right now; try again shortly', {
    retryAfterSeconds: 5,
  });
}

/** One of identity's internal endpoints (`/internal/...`), at the origin of an identity URL the service trusts. */
export const identityInternalUrl = (path: string, identityUrl: string) => new URL(path, identityUrl).href;

/**
 * The introspection of the identity whose keys the service trusts: the same origin as
 * `IDENTITY_JWKS_URL`, so no second address to configure (and keep in step).
 */
export function sessionIntrospectorFromConfig(config: { IDENTITY_JWKS_URL: string }): SessionCheck {
  return sessionIntrospector({ url: identityInternalUrl(SESSION_INTROSPECTION_PATH, config.IDENTITY_JWKS_URL) });
}
