import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { TokenResponse } from '@solar/contracts';
import type { ApiResult } from '../api/gateway-client';

type Refresh = () => Promise<ApiResult<TokenResponse>>;

/**
 * One refresh per refresh token. The API rotates a refresh token when it is used and treats a second
 * use as theft, ending the session; a browser whose access token has expired often sends several
 * requests at once (two tabs, a page and its form post) with the same cookie. Each of them would
 * refresh, and all but the first would end the person's session. Here the first refresh is shared by
 * every request that carries the same token, and its answer is remembered for a minute for requests
 * that left the browser before the new cookie arrived. Keys are hashes: the old token is not kept.
 * Within one web process only; across replicas, identity answers a second use within its
 * REFRESH_REUSE_GRACE with 409 and leaves the session alone, and a later one still ends it.
 */
export class TokenRefresher {
  private readonly inFlight = new LRUCache<string, Promise<ApiResult<TokenResponse>>>({ max: 10_000, ttl: 60_000 });

  refresh(refreshToken: string, refresh: Refresh): Promise<ApiResult<TokenResponse>> {
    const key = createHash('sha256').update(refreshToken).digest('base64url');
    const known = this.inFlight.get(key);
    if (known) return known;
    const started = refresh().then((result) => {
      // Only a rotation is worth sharing; a failure (the API away) may be retried by the next request.
      if (!result.ok && result.status !== 401) this.inFlight.delete(key);
      return result;
    });
    this.inFlight.set(key, started);
    return started;
  }
}
