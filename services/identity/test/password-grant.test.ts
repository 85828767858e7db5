import { PAGES_PROOF_HEADER, signPagesProof } from '@solar/chassis';
import { createIdentityService } from '../src/main';
import { AuthHarness } from './auth-harness';

const KEY = 'pages-sign-in-key-'.padEnd(40, 'x');
const h = new AuthHarness('identity-password-grant', { PASSWORD_GRANT_ENABLED: 'false', PAGES_SIGN_IN_KEY: KEY });
let user: { email: string; password: string };

beforeAll(async () => {
  await h.start();
  user = await h.registered('ada');
});
afterAll(() => h.stop());

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

describe('PASSWORD_GRANT_ENABLED=false', () => {
  it('refuses the password grant to apps, as JSON and as the OAuth2 form, with unsupported_grant_type', async () => {
    const asJson = await h.login(user.email, user.password);
    expect(asJson.status).toBe(400);
    expect(await json(asJson)).toMatchObject({ code: 'unsupported_grant_type' });
    const asForm = await h.request('/auth/login', { form: { grant_type: 'password', username: user.email, password: user.password } });
    expect(asForm.status).toBe(400);
  });

  it("takes the account pages' sign-in, proven with PAGES_SIGN_IN_KEY for this address and now", async () => {
    const proof = (email: string, at = h.now, key = KEY) => ({ [PAGES_PROOF_HEADER]: signPagesProof(key, email, at) });
    expect((await h.login(user.email, user.password, proof(user.email))).status).toBe(200);
    // Case and spaces are the address's normalisation, not another address.
    expect((await h.login(` ${user.email.toUpperCase()}`, user.password, proof(user.email))).status).toBe(200);
    for (const forged of [
      proof(`other.${user.email}`),
      proof(user.email, new Date(h.now.getTime() - 60_000)),
      proof(user.email, h.now, 'x'.repeat(40)),
    ]) {
      expect((await h.login(user.email, user.password, forged)).status).toBe(400);
    }
  });

  it('does not start without PAGES_SIGN_IN_KEY: the pages could not sign in', () => {
    expect(() => createIdentityService({ ...h.env, PAGES_SIGN_IN_KEY: '' })).toThrow(/PAGES_SIGN_IN_KEY/);
  });
});
