import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { SESSION_INTROSPECTION_PATH, SessionIntrospection } from '@solar/contracts';
import { AppError } from '../http/app-error';

/** The roles the bearer's session has now; throws `unauthorized` when it has ended, `service_unavailable` when identity cannot say. */
export type SessionCheck = (token: string) => Promise<{ roles: string[] }>;

export interface SessionIntrospectionSettings {
  /** Identity's `GET /internal/session`. */
  url: string;
  /**
   * How long a live session's answer is reused for the same token: a logout, revocation or demotion
   * takes effect within this. Default 5 s.
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
 * Asks identity whether the session behind a (verified) access token still stands and what roles
 * its user has now. A signature proves only that the token was issued: the session behind it can
 * have been logged out, revoked on refresh-token reuse, or its user demoted since, and the token
 * stays valid until `exp` (15 min). Admin routes outside identity ask here, per token, with a short
 * cache: one request to identity per admin token per `cacheMs`, bounded. Refusals are not cached
 * (they are rare: the token passed its signature check first).
 */
export function sessionIntrospector(settings: SessionIntrospectionSettings): SessionCheck {
  const now = settings.now ?? Date.now;
  const cacheMs = settings.cacheMs ?? 5_000;
  const live =
    cacheMs > 1
      ? // lru-cache serves an entry while its age is at most `ttl`: minus 1 so `cacheMs` after the answer it is asked again.
        new LRUCache<string, { roles: string[] }>({
          max: settings.cacheEntries ?? 1_000,
          ttl: cacheMs - 1,
          ttlResolution: 0,
          perf: { now },
        })
      : undefined;
  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64');
    const remembered = live?.get(key);
    if (remembered) return { roles: [...remembered.roles] };
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
      throw new AppError('unauthorized', 'The session has ended');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable();
    }
    const parsed = SessionIntrospection.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw unavailable();
    const answer = { roles: parsed.data.roles };
    live?.set(key, answer);
    return { roles: [...answer.roles] };
  };
}

function unavailable(): AppError {
  return new AppError('service_unavailable', 'Cannot check the session with identity right now; try again shortly', {
    retryAfterSeconds: 5,
  });
}

/**
 * The introspection of the identity whose keys the service trusts: the same origin as
 * `IDENTITY_JWKS_URL`, so no second address to configure (and keep in step).
 */
export function sessionIntrospectorFromConfig(config: { IDENTITY_JWKS_URL: string }): SessionCheck {
  return sessionIntrospector({ url: new URL(SESSION_INTROSPECTION_PATH, config.IDENTITY_JWKS_URL).href });
}
