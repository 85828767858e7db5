import { generate } from 'otplib';
import { AuthHarness, type Tokens } from './auth-harness';
import { SoftwareAuthenticator } from '@solar/chassis/testing';

const h = new AuthHarness('identity-passkeys');
const RP_ID = 'app.solar.test';
const ORIGIN = 'https://app.solar.test';
const PASSWORD = 'Zebra-Quartz-Lantern-7421';

interface Options {
  challenge: string;
  user?: { id: string };
  rpId?: string;
  allowCredentials?: { id: string }[];
  userVerification?: string;
}

const body = async <T>(response: Response, status: number): Promise<T> => {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
};
const codeOf = async (response: Response) => ((await response.json()) as { code?: string }).code;

beforeAll(() => h.start());
afterAll(() => h.stop());

/** A verified account, signed in with its password. */
async function account(label: string): Promise<{ email: string; userId: string; tokens: Tokens }> {
  const { email, userId } = await h.registered(label, PASSWORD);
  await h.verifyEmail(email);
  return { email, userId, tokens: await h.signedIn(email, PASSWORD) };
}

async function registrationOptions(tokens: Tokens, password = PASSWORD) {
  return h.request('/auth/passkeys/registration/options', { body: { password }, token: tokens.access_token });
}

/** Adds a passkey held by a new software authenticator; resolves the authenticator. */
async function addPasskey(tokens: Tokens, name = 'Laptop', authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN)) {
  const { options } = await body<{ options: Options }>(await registrationOptions(tokens), 200);
  const credential = authenticator.register(options);
  await body(await h.request('/auth/passkeys/registration/verify', { body: { name, credential }, token: tokens.access_token }), 201);
  return authenticator;
}

async function signInOptions(mfaToken?: string): Promise<Options> {
  return (
    await body<{ options: Options }>(
      await h.request('/auth/passkeys/authentication/options', { body: mfaToken === undefined ? {} : { mfaToken } }),
      200,
    )
  ).options;
}

const verify = (credential: unknown, mfaToken?: string) =>
  h.request('/auth/passkeys/authentication/verify', { body: { credential, ...(mfaToken === undefined ? {} : { mfaToken }) } });

async function signInWith(authenticator: SoftwareAuthenticator, answer: Parameters<SoftwareAuthenticator['authenticate']>[1] = {}) {
  return verify(authenticator.authenticate(await signInOptions(), answer));
}

describe('adding a passkey', () => {
  it('needs the password, and announces the passkey by event, audit entry and email', async () => {
    const { email, userId, tokens } = await account('adds');
    expect(await codeOf(await registrationOptions(tokens, 'not the password'))).toBe('invalid_credentials');

    const { options } = await body<{ options: Options }>(await registrationOptions(tokens), 200);
    expect(options).toMatchObject({ rp: { id: RP_ID, name: 'Solar Intelligence' }, authenticatorSelection: { residentKey: 'required' } });
    const authenticator = new SoftwareAuthenticator(RP_ID, ORIGIN);
    const added = await body<{ passkey: { id: string; name: string; lastUsedAt: string | null; deviceType: string } }>(
      await h.request('/auth/passkeys/registration/verify', {
        body: { name: 'Work laptop', credential: authenticator.register(options) },
        token: tokens.access_token,
      }),
      201,
    );
    expect(added.passkey).toMatchObject({ id: authenticator.id, name: 'Work laptop', lastUsedAt: null, deviceType: 'multiDevice' });

    const [event] = await h.waitForEvents('PasskeyAdded', (data) => data.userId === userId);
    expect(event!.event.data).toEqual({ userId, passkeyId: authenticator.id, deviceType: 'multiDevice', backedUp: true });
    const [mail] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'passkey-added');
    expect(h.emailVariables(mail!.event)).toEqual({ name: 'Work laptop' });
    expect(await h.db.collection('audit_log').countDocuments({ userId, action: 'passkey_added', outcome: 'success' })).toBe(1);

    const list = await body<{ passkeys: { id: string }[] }>(await h.request('/auth/passkeys', { token: tokens.access_token }), 200);
    expect(list.passkeys.map((passkey) => passkey.id)).toEqual([authenticator.id]);
  });

  it('refuses an unverified address', async () => {
    const { email } = await h.registered('unverified', PASSWORD);
    const tokens = await h.signedIn(email, PASSWORD);
    expect(await codeOf(await registrationOptions(tokens))).toBe('email_not_verified');
  });

  it("refuses an answer to another account's challenge, and a challenge answered twice", async () => {
    const alice = await account('alice-reg');
    const mallory = await account('mallory-reg');
    const { options } = await body<{ options: Options }>(await registrationOptions(alice.tokens), 200);
    const credential = new SoftwareAuthenticator(RP_ID, ORIGIN).register(options);
    const asMallory = await h.request('/auth/passkeys/registration/verify', {
      body: { name: 'x', credential },
      token: mallory.tokens.access_token,
    });
    expect(await codeOf(asMallory)).toBe('passkey_challenge_invalid');
    // Mallory's try used the challenge up: it answers once, right or wrong.
    const asAlice = await h.request('/auth/passkeys/registration/verify', {
      body: { name: 'x', credential },
      token: alice.tokens.access_token,
    });
    expect(await codeOf(asAlice)).toBe('passkey_challenge_invalid');
  });
});

describe('signing in with a passkey alone', () => {
  it('opens a session, records the use, and marks the session with the kind of key', async () => {
    const { userId, tokens } = await account('signs-in');
    const authenticator = await addPasskey(tokens);
    const options = await signInOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'required' });
    expect(options.allowCredentials ?? []).toEqual([]);

    h.advance(60_000);
    const signedIn = await body<Tokens>(await verify(authenticator.authenticate(options)), 200);
    expect(signedIn.access_token).toEqual(expect.any(String));
    const [login] = await h.waitForEvents(
      'LoginSucceeded',
      (data) => data.userId === userId && (data.factors as string[]).includes('passkey'),
    );
    expect(login!.event.data.factors).toEqual(['passkey']);
    const session = await h.db.collection('sessions').findOne({ _id: login!.event.data.sessionId as never });
    expect(session?.amr).toEqual(['swk']);

    const list = await body<{ passkeys: { lastUsedAt: string | null }[] }>(
      await h.request('/auth/passkeys', { token: tokens.access_token }),
      200,
    );
    expect(list.passkeys[0]?.lastUsedAt).toBe(h.now.toISOString());
  });

  it('marks a security key that never leaves its authenticator as a hardware key', async () => {
    const { userId, tokens } = await account('security-key');
    const key = new SoftwareAuthenticator(RP_ID, ORIGIN, undefined, false);
    await addPasskey(tokens, 'Security key', key);
    await body(await signInWith(key), 200);
    const [login] = await h.waitForEvents(
      'LoginSucceeded',
      (data) => data.userId === userId && (data.factors as string[]).includes('passkey'),
    );
    expect((await h.db.collection('sessions').findOne({ _id: login!.event.data.sessionId as never }))?.amr).toEqual(['hwk']);
  });

  it('refuses a cloned authenticator, whose sign counter went backwards', async () => {
    const { tokens } = await account('cloned');
    const original = await addPasskey(tokens);
    const copy = original.clone();
    await body(await signInWith(original), 200);
    await body(await signInWith(original), 200);
    expect(await codeOf(await signInWith(copy))).toBe('invalid_credentials');
    // Neither a counter equal to the last one stored.
    expect(await codeOf(await signInWith(copy, { counter: original.counter }))).toBe('invalid_credentials');
    await body(await signInWith(original), 200);
  });

  it('refuses an answer made for another origin', async () => {
    const { tokens } = await account('phished');
    const authenticator = await addPasskey(tokens);
    expect(await codeOf(await signInWith(authenticator, { origin: 'https://app.solar.test.evil.example' }))).toBe('invalid_credentials');
    expect(await codeOf(await signInWith(authenticator, { origin: 'http://app.solar.test' }))).toBe('invalid_credentials');
  });

  it('refuses a registration made for another origin', async () => {
    const { tokens } = await account('phished-reg');
    const { options } = await body<{ options: Options }>(await registrationOptions(tokens), 200);
    const credential = new SoftwareAuthenticator(RP_ID, ORIGIN).register(options, { origin: 'https://evil.example' });
    const answer = await h.request('/auth/passkeys/registration/verify', { body: { name: 'x', credential }, token: tokens.access_token });
    expect(await codeOf(answer)).toBe('invalid_credentials');
  });

  it('refuses a replayed challenge, and one past its time', async () => {
    const { tokens } = await account('replayed');
    const authenticator = await addPasskey(tokens);
    const answer = authenticator.authenticate(await signInOptions());
    await body(await verify(answer), 200);
    expect(await codeOf(await verify(answer))).toBe('passkey_challenge_invalid');

    const late = authenticator.authenticate(await signInOptions());
    h.advance(5 * 60_000);
    expect(await codeOf(await verify(late))).toBe('passkey_challenge_invalid');
  });

  it('refuses a removed passkey; removing needs the password', async () => {
    const { userId, tokens } = await account('removed');
    const authenticator = await addPasskey(tokens);
    const remove = (password: string) =>
      h.request(`/auth/passkeys/${authenticator.id}`, { method: 'DELETE', body: { password }, token: tokens.access_token });
    expect(await codeOf(await remove('not the password'))).toBe('invalid_credentials');
    await body(await remove(PASSWORD), 204);
    expect(await codeOf(await remove(PASSWORD))).toBe('not_found');
    const [event] = await h.waitForEvents('PasskeyRemoved', (data) => data.userId === userId);
    expect(event!.event.data).toEqual({ userId, passkeyId: authenticator.id });
    expect(await codeOf(await signInWith(authenticator))).toBe('invalid_credentials');
  });

  it('refuses the passkey of an account an admin disabled, after checking it', async () => {
    const { userId, tokens } = await account('disabled');
    const authenticator = await addPasskey(tokens);
    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { disabledAt: new Date() } });
    expect(await codeOf(await signInWith(authenticator))).toBe('account_disabled');
    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { disabledAt: null } });
    await body(await signInWith(authenticator), 200);
  });

  it("does not let one account remove another's passkey", async () => {
    const alice = await account('alice-rm');
    const mallory = await account('mallory-rm');
    const authenticator = await addPasskey(alice.tokens);
    const attempt = await h.request(`/auth/passkeys/${authenticator.id}`, {
      method: 'DELETE',
      body: { password: PASSWORD },
      token: mallory.tokens.access_token,
    });
    expect(await codeOf(attempt)).toBe('not_found');
    await body(await signInWith(authenticator), 200);
  });
});

describe('a passkey as the second factor', () => {
  async function withTwoFactor(label: string) {
    const signed = await account(label);
    const { secret } = await body<{ secret: string }>(
      await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: signed.tokens.access_token }),
      200,
    );
    const code = await generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
    await body(await h.request('/auth/2fa/verify', { body: { password: PASSWORD, code }, token: signed.tokens.access_token }), 200);
    return signed;
  }

  const mfaTokenOf = async (email: string) => (await body<{ mfa_token: string }>(await h.login(email, PASSWORD), 200)).mfa_token;

  it("completes a sign-in after the password, offering only the account's passkeys", async () => {
    const { email, userId, tokens } = await withTwoFactor('second-factor');
    const authenticator = await addPasskey(tokens);
    const mfaToken = await mfaTokenOf(email);
    const options = await signInOptions(mfaToken);
    expect(options.allowCredentials?.map((credential) => credential.id)).toEqual([authenticator.id]);
    await body(await verify(authenticator.authenticate(options), mfaToken), 200);
    const [login] = await h.waitForEvents(
      'LoginSucceeded',
      (data) => data.userId === userId && (data.factors as string[]).includes('passkey'),
    );
    expect(login!.event.data.factors).toEqual(['password', 'passkey']);
    expect((await h.db.collection('sessions').findOne({ _id: login!.event.data.sessionId as never }))?.amr).toEqual(['pwd', 'swk']);
    // The mfa_token is spent.
    expect(await codeOf(await h.request('/auth/passkeys/authentication/options', { body: { mfaToken } }))).toBe('token_used');
  });

  it("refuses another account's passkey, counting it as a wrong second factor", async () => {
    const { email, userId, tokens } = await withTwoFactor('second-factor-other');
    await addPasskey(tokens);
    const other = await account('other-passkey');
    const stranger = await addPasskey(other.tokens);
    const mfaToken = await mfaTokenOf(email);
    expect(await codeOf(await verify(stranger.authenticate(await signInOptions(mfaToken)), mfaToken))).toBe('invalid_credentials');
    await h.waitForEvents('LoginFailed', (data) => data.userId === userId && data.reason === 'bad_second_factor');
  });

  it('refuses the answer without its mfa_token, or to a sign-in challenge with one', async () => {
    const { email, tokens } = await withTwoFactor('second-factor-token');
    const authenticator = await addPasskey(tokens);
    const mfaToken = await mfaTokenOf(email);
    expect(await codeOf(await verify(authenticator.authenticate(await signInOptions(mfaToken))))).toBe('passkey_challenge_invalid');
    expect(await codeOf(await verify(authenticator.authenticate(await signInOptions()), mfaToken))).toBe('passkey_challenge_invalid');
  });
});
