import type { TokenResponse } from '@solar/contracts';
import type { ApiResult } from '../api/gateway-client';
import { TokenRefresher } from './token-refresher';

const rotated: ApiResult<TokenResponse> = {
  ok: true,
  status: 200,
  body: { access_token: 'a2', token_type: 'Bearer', expires_in: 900, refresh_token: 'r2' },
};
const unavailable: ApiResult<TokenResponse> = { ok: false, status: 503, problem: { code: 'service_unavailable', status: 503, errors: [] } };

describe('TokenRefresher', () => {
  it('refreshes once for every request that carries the same token, at once or a moment later', async () => {
    const refresher = new TokenRefresher();
    let calls = 0;
    const refresh = async () => {
      calls += 1;
      return rotated;
    };
    const results = await Promise.all([refresher.refresh('r1', refresh), refresher.refresh('r1', refresh)]);
    expect(await refresher.refresh('r1', refresh)).toBe(rotated);
    expect(results).toEqual([rotated, rotated]);
    expect(calls).toBe(1);
  });

  it('refreshes each token on its own', async () => {
    const refresher = new TokenRefresher();
    let calls = 0;
    const refresh = async () => {
      calls += 1;
      return rotated;
    };
    await refresher.refresh('r1', refresh);
    await refresher.refresh('other', refresh);
    expect(calls).toBe(2);
  });

  it('lets the next request try again when the API could not answer', async () => {
    const refresher = new TokenRefresher();
    const answers = [unavailable, rotated];
    const refresh = async () => answers.shift()!;
    expect(await refresher.refresh('r1', refresh)).toBe(unavailable);
    expect(await refresher.refresh('r1', refresh)).toBe(rotated);
  });
});
