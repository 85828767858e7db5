/**
 * Security review finding 9, through the real identity service: a TOTP secret is sealed for its
 * account and field, so someone who can write the database cannot copy their own secret onto a
 * victim's account and then sign in as the victim with their own authenticator. Secrets sealed in
 * the old, context-free format (production holds them) keep working and are re-sealed on sign-in.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { createSealer, parseKeyRing } from '@solar/chassis';
import { resealTwoFactorSecrets } from '../src/cli/reseal-secrets';
import { userModel } from '../src/users/user.model';
import { AuthHarness, type Tokens } from './auth-harness';

const h = new AuthHarness('identity-2fa-sealing');
const PASSWORD = 'Zebra-Quartz-Lantern-7421';

const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
const body = async <T>(response: Response, status: number): Promise<T> => {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
};

/** Signs up and turns two-factor on; returns the account and its TOTP secret in clear. */
async function withTwoFactor(label: string) {
  const account = await h.registered(label, PASSWORD);
  await h.verifyEmail(account.email);
  const tokens: Tokens = await h.signedIn(account.email, PASSWORD);
  const { secret } = await body<{ secret: string }>(
    await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
    200,
  );
  await body(
    await h.request('/auth/2fa/verify', { body: { password: PASSWORD, code: await codeAt(secret) }, token: tokens.access_token }),
    200,
  );
  h.advance(30_000);
  return { ...account, secret, tokens };
}

const twoFactorOf = async (userId: string) =>
  (await h.db.collection('users').findOne({ _id: userId as never }))!['twoFactor'] as {
    secret: string | null;
    pendingSecret: string | null;
  };

const setTwoFactor = (userId: string, fields: Record<string, unknown>) =>
  h.db.collection('users').updateOne({ _id: userId as never }, { $set: fields });

async function secondStep(email: string, code: string): Promise<Response> {
  const { mfa_token } = await body<{ mfa_token: string }>(await h.login(email, PASSWORD), 200);
  return h.request('/auth/login/2fa', { body: { mfaToken: mfa_token, code } });
}

/** A secret as the service sealed it before contexts existed: AES-256-GCM, the key id as the only AAD. */
function legacySeal(secret: string): string {
  const [{ id, key }] = parseKeyRing(h.env.DATA_ENCRYPTION_KEYS!) as [{ id: string; key: Buffer }];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [id, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
}

beforeAll(() => h.start(), 60_000);
afterAll(() => h.stop());

describe('a TOTP secret copied in the database from one account to another', () => {
  it("does not let the copier's codes sign in to the victim's account", async () => {
    const attacker = await withTwoFactor('attacker');
    const victim = await withTwoFactor('victim');
    // The attacker knows the victim's password; the second factor is what stands in the way.
    await setTwoFactor(victim.userId, { 'twoFactor.secret': (await twoFactorOf(attacker.userId)).secret });

    // Refused as a wrong code: no session, and no server error either.
    const response = await secondStep(victim.email, await codeAt(attacker.secret));
    expect(await body(response, 400)).toMatchObject({ code: 'invalid_code' });
  });

  it('does not open when moved from the pending field to the confirmed one', async () => {
    const account = await h.registered('pending-mover', PASSWORD);
    await h.verifyEmail(account.email);
    const tokens = await h.signedIn(account.email, PASSWORD);
    const { secret } = await body<{ secret: string }>(
      await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
      200,
    );
    const { pendingSecret } = await twoFactorOf(account.userId);
    // Turned on by hand in the database, with the pending (never confirmed) secret as the confirmed one.
    await setTwoFactor(account.userId, { 'twoFactor.secret': pendingSecret, 'twoFactor.enabledAt': h.now });

    const response = await secondStep(account.email, await codeAt(secret));
    expect(await body(response, 400)).toMatchObject({ code: 'invalid_code' });
  });
});

describe('a TOTP secret sealed in the old format', () => {
  it('still signs in, and sign-in re-seals it bound to the account', async () => {
    const account = await withTwoFactor('legacy-confirmed');
    await setTwoFactor(account.userId, { 'twoFactor.secret': legacySeal(account.secret) });

    await body(await secondStep(account.email, await codeAt(account.secret)), 200);

    const { secret: stored } = await twoFactorOf(account.userId);
    expect(stored).toMatch(/^v2\./);
    h.advance(30_000);
    await body(await secondStep(account.email, await codeAt(account.secret)), 200);
  });

  it('still confirms a pending setup, and the confirmed secret is stored in the new format', async () => {
    const account = await h.registered('legacy-pending', PASSWORD);
    await h.verifyEmail(account.email);
    const tokens = await h.signedIn(account.email, PASSWORD);
    const { secret } = await body<{ secret: string }>(
      await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
      200,
    );
    await setTwoFactor(account.userId, { 'twoFactor.pendingSecret': legacySeal(secret) });

    await body(
      await h.request('/auth/2fa/verify', { body: { password: PASSWORD, code: await codeAt(secret) }, token: tokens.access_token }),
      200,
    );

    expect((await twoFactorOf(account.userId)).secret).toMatch(/^v2\./);
    h.advance(30_000);
    await body(await secondStep(account.email, await codeAt(secret)), 200);
  });

  it('is re-sealed by the one-off migration, for accounts that do not sign in', async () => {
    const account = await withTwoFactor('legacy-migrated');
    await setTwoFactor(account.userId, {
      'twoFactor.secret': legacySeal(account.secret),
      'twoFactor.pendingSecret': legacySeal('PENDING'),
    });
    const ring = parseKeyRing(h.env.DATA_ENCRYPTION_KEYS!);

    const result = await resealTwoFactorSecrets(userModel(h.db), createSealer(ring), ring[0]!.id);

    expect(result.failed).toEqual([]);
    expect(result.resealed).toBeGreaterThanOrEqual(2);
    const stored = await twoFactorOf(account.userId);
    expect(stored.secret).toMatch(/^v2\./);
    expect(stored.pendingSecret).toMatch(/^v2\./);
    await body(await secondStep(account.email, await codeAt(account.secret)), 200);
    // A second run finds nothing left to do.
    expect((await resealTwoFactorSecrets(userModel(h.db), createSealer(ring), ring[0]!.id)).resealed).toBe(0);
  });
});
