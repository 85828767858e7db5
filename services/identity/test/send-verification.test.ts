import { AuthHarness } from './auth-harness';

const h = new AuthHarness('identity-send-verification');

beforeAll(() => h.start());
afterAll(() => h.stop());

const sendVerification = (accessToken?: string) =>
  h.request('/auth/send-verification', { method: 'POST', ...(accessToken ? { token: accessToken } : {}) });
const verifyEmail = (token: string) => h.request('/auth/verify-email', { body: { token } });

describe('send-verification', () => {
  it('sends a new working link to an unverified caller and audits it', async () => {
    const { email, password, userId } = await h.registered('send-unverified');
    const tokens = await h.signedIn(email, password);
    const response = await sendVerification(tokens.access_token);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ message: expect.any(String) });

    const links = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'verify-email', 2);
    const event = links[1]!.event;
    const token = new URL(h.emailVariables(event).link!).searchParams.get('token')!;
    const user = await h.db.collection('users').findOne({ email });
    expect(user?.tokens.filter((t: { purpose: string }) => t.purpose === 'verify-email')).toHaveLength(2);
    expect(JSON.stringify(user)).not.toContain(token);
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'verification_requested', outcome: 'success' })).not.toBeNull();

    expect((await verifyEmail(token)).status).toBe(200);
  });

  it('answers 409 once the address is verified, and sends nothing', async () => {
    const { email, password } = await h.registered('send-verified');
    expect((await verifyEmail(await h.verificationTokenFor(email))).status).toBe(200);
    const tokens = await h.signedIn(email, password);
    const response = await sendVerification(tokens.access_token);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/already verified/) });
    const user = await h.db.collection('users').findOne({ email });
    expect(user?.tokens).toHaveLength(1);
  });

  it('answers 401 without a bearer token', async () => {
    const response = await sendVerification();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthorized' });
  });
});
