import { generate } from 'otplib';
import { SESSION_INTROSPECTION_PATH, SessionIntrospection } from '@solar/contracts';
import { parseKeyRing } from '@solar/chassis';
import { createPseudonymiser } from '../src/deletion/pseudonym';
import { AuthHarness, claimsOf, type Tokens } from './auth-harness';

// The database is this file's own, so a fixed admin address cannot meet another file's.
const BOSS = 'boss@admin-actions.example.test';
const h = new AuthHarness('identity-admin-actions', { ADMIN_EMAILS: BOSS, LOGIN_MAX_FAILURES: '3' });
const pseudonym = createPseudonymiser(parseKeyRing(h.env.DATA_ENCRYPTION_KEYS!));
const PASSWORD = 'Zebra-Quartz-Lantern-7421';
const REAUTH_WINDOW_MS = 5 * 60_000;
let bossId: string;

async function expectStatus(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** A verified account, signed in. */
async function account(label: string): Promise<{ email: string; userId: string; tokens: Tokens }> {
  const { email, userId } = await h.registered(label, PASSWORD);
  await h.verifyEmail(email);
  return { email, userId, tokens: await h.signedIn(email, PASSWORD) };
}

/** The boss's token from a sign-in just now: every action wants a recent one. */
const freshBoss = async () => (await h.signedIn(BOSS, PASSWORD)).access_token;

const ACTIONS = {
  disable: { method: 'POST', path: 'disable', body: { reason: 'support ticket 42' } },
  enable: { method: 'POST', path: 'enable' },
  unlock: { method: 'POST', path: 'unlock' },
  resetTwoFactor: { method: 'POST', path: 'reset-two-factor' },
  endSessions: { method: 'POST', path: 'end-sessions' },
  deleteNow: { method: 'POST', path: 'delete', body: { reason: 'asked by phone, identity checked' } },
  grantAdmin: { method: 'PUT', path: 'roles/admin' },
  revokeAdmin: { method: 'DELETE', path: 'roles/admin' },
} as const;
type ActionName = keyof typeof ACTIONS;

function act(name: ActionName, userId: string, token: string) {
  const { method, path, ...rest } = ACTIONS[name];
  return h.request(`/admin/users/${userId}/${path}`, { method, token, ...('body' in rest ? { body: rest.body } : {}) });
}

/** The audit entries of one action on one account (the purge renames a deleted account's). */
const auditOf = (action: string, filter: Record<string, unknown>) =>
  h.db
    .collection('audit_log')
    .find({ action, ...filter })
    .toArray();

beforeAll(async () => {
  await h.start();
  await expectStatus(await h.register(BOSS, PASSWORD), 201);
  // Following the emailed link makes a listed address admin.
  await h.verifyEmail(BOSS);
  bossId = String((await h.db.collection('users').findOne({ email: BOSS }))!._id);
}, 60_000);

afterAll(() => h.stop());

describe('who may act', () => {
  let target: string;
  beforeAll(async () => {
    target = (await account('refusals')).userId;
  });

  it.each(Object.keys(ACTIONS) as ActionName[])('%s: 403 for a plain user, 401 without a token', async (name) => {
    const plain = await account(`plain-${name.toLowerCase()}`);
    expect(await expectStatus(await act(name, target, plain.tokens.access_token), 403)).toMatchObject({ code: 'forbidden' });
    await expectStatus(await act(name, target, ''), 401);
  });

  it.each(Object.keys(ACTIONS) as ActionName[])('%s: 403 reauthentication_required for a sign-in older than the window', async (name) => {
    const token = await freshBoss();
    h.advance(REAUTH_WINDOW_MS + 1000);
    expect(await expectStatus(await act(name, target, token), 403)).toMatchObject({
      code: 'reauthentication_required',
      maxAgeSeconds: REAUTH_WINDOW_MS / 1000,
    });
    expect(await auditOf('account_disabled', { userId: target })).toEqual([]);
  });

  it('refreshing the session does not make its sign-in recent', async () => {
    const tokens = await h.signedIn(BOSS, PASSWORD);
    h.advance(REAUTH_WINDOW_MS + 1000);
    const refreshed = (await expectStatus(await h.refresh(tokens.refresh_token), 200)) as unknown as Tokens;
    expect(await expectStatus(await act('unlock', target, refreshed.access_token), 403)).toMatchObject({
      code: 'reauthentication_required',
    });
  });

  it("tells the other services' admin actions, through session introspection, whether the sign-in is recent", async () => {
    const token = await freshBoss();
    // Internal, outside the public spec: plain fetch, checked against its contract instead.
    const introspect = async () =>
      SessionIntrospection.parse(
        await expectStatus(
          await fetch(`${h.baseUrl}${SESSION_INTROSPECTION_PATH}`, { headers: { authorization: `Bearer ${token}` } }),
          200,
        ),
      );
    expect(await introspect()).toMatchObject({ userId: bossId, signedInRecently: true, reauthWindowSeconds: REAUTH_WINDOW_MS / 1000 });
    h.advance(REAUTH_WINDOW_MS + 1000);
    expect(await introspect()).toMatchObject({ signedInRecently: false });
  });

  it('404 for an unknown account', async () => {
    expect(await expectStatus(await act('unlock', 'no-such-account', await freshBoss()), 404)).toMatchObject({ code: 'not_found' });
  });
});

describe('disable and enable', () => {
  it('refuses every sign-in of a disabled account, ends its sessions, and lets it in again once enabled', async () => {
    const { email, userId, tokens } = await account('disabled');
    await expectStatus(await act('disable', userId, await freshBoss()), 204);

    const [disabled] = await h.waitForEvents('AccountDisabled', (data) => data.userId === userId);
    expect(disabled!.event.data).toEqual({ userId, disabledBy: bossId });
    await h.waitForEvents('SessionRevoked', (data) => data.userId === userId && data.sessionId === claimsOf(tokens.access_token).sid);
    await h.waitForEvents('UserState', (data) => data.id === userId && data.disabled === true);
    expect(await auditOf('account_disabled', { userId })).toMatchObject([
      { outcome: 'success', details: { adminId: bossId, reason: 'support ticket 42', sessionsEnded: 1 } },
    ]);

    expect(await expectStatus(await h.login(email, PASSWORD), 403)).toMatchObject({ code: 'account_disabled' });
    // A wrong password says nothing of the account's state.
    expect(await expectStatus(await h.login(email, 'not the password at all'), 401)).toMatchObject({ code: 'invalid_credentials' });
    await expectStatus(await h.refresh(tokens.refresh_token), 401);
    await expectStatus(await h.sessions(tokens.access_token), 401);
    expect(await expectStatus(await act('disable', userId, await freshBoss()), 409)).toMatchObject({ code: 'conflict' });

    await expectStatus(await act('enable', userId, await freshBoss()), 204);
    const [enabled] = await h.waitForEvents('AccountEnabled', (data) => data.userId === userId);
    expect(enabled!.event.data).toEqual({ userId, enabledBy: bossId });
    expect(await auditOf('account_enabled', { userId })).toMatchObject([{ details: { adminId: bossId } }]);
    await h.signedIn(email, PASSWORD);
    expect(await expectStatus(await act('enable', userId, await freshBoss()), 409)).toMatchObject({ code: 'conflict' });
  });

  it('refuses the second step of a sign-in begun before the account was disabled', async () => {
    const { email, userId, tokens } = await account('disabled-mid-sign-in');
    const secret = await turnOnTwoFactor(tokens);
    const { mfa_token } = (await expectStatus(await h.login(email, PASSWORD), 200)) as { mfa_token: string };
    await expectStatus(await act('disable', userId, await freshBoss()), 204);
    h.advance(30_000);
    const code = await generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
    expect(await expectStatus(await h.request('/auth/login/2fa', { body: { mfaToken: mfa_token, code } }), 403)).toMatchObject({
      code: 'account_disabled',
    });
  });
});

describe('unlock', () => {
  it('clears the lockout of the address, so the right password works again at once', async () => {
    const { email, userId } = await account('locked');
    for (let i = 0; i < 3; i++) await h.login(email, 'not the password at all');
    expect(await expectStatus(await h.login(email, PASSWORD), 423)).toMatchObject({ code: 'account_locked' });
    await expectStatus(await act('unlock', userId, await freshBoss()), 204);
    await h.signedIn(email, PASSWORD);
    expect(await auditOf('account_unlocked', { userId })).toMatchObject([{ outcome: 'success', details: { adminId: bossId } }]);
  });
});

describe('reset two-factor', () => {
  it('turns two-factor off, drops the recovery codes and emails the owner', async () => {
    const { email, userId, tokens } = await account('two-factor');
    await turnOnTwoFactor(tokens);
    await expectStatus(await act('resetTwoFactor', userId, await freshBoss()), 204);

    const [disabled] = await h.waitForEvents('TwoFactorDisabled', (data) => data.userId === userId);
    expect(disabled!.event.data).toEqual({ userId, method: 'totp' });
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'two-factor-reset-by-admin');
    expect(await auditOf('two_factor_reset_by_admin', { userId })).toMatchObject([{ details: { adminId: bossId } }]);
    const user = await h.db.collection('users').findOne({ _id: userId as never });
    expect(user?.twoFactor).toMatchObject({ secret: null, enabledAt: null, recoveryCodes: [] });
    // The password alone signs in now.
    expect(await expectStatus(await h.login(email, PASSWORD), 200)).toHaveProperty('access_token');
    expect(await expectStatus(await act('resetTwoFactor', userId, await freshBoss()), 409)).toMatchObject({ code: 'conflict' });
  });
});

describe('end sessions', () => {
  it('ends every session of the account, each with SessionRevoked', async () => {
    const { email, userId, tokens } = await account('sessions');
    const second = await h.signedIn(email, PASSWORD);
    await expectStatus(await act('endSessions', userId, await freshBoss()), 204);
    const revoked = await h.waitForEvents('SessionRevoked', (data) => data.userId === userId, 2);
    expect(revoked.map((r) => r.event.data.reason)).toEqual(['revoked', 'revoked']);
    await expectStatus(await h.sessions(tokens.access_token), 401);
    await expectStatus(await h.refresh(second.refresh_token), 401);
    expect(await auditOf('sessions_ended_by_admin', { userId })).toMatchObject([{ details: { adminId: bossId, sessionsEnded: 2 } }]);
    // Not disabled: the owner signs in again.
    await h.signedIn(email, PASSWORD);
  });
});

describe('delete now', () => {
  it('purges the account at once, through the normal purge', async () => {
    const { email, userId } = await account('deleted');
    await expectStatus(await act('deleteNow', userId, await freshBoss()), 204);
    const [requested] = await h.waitForEvents('DeletionRequested', (data) => data.userId === userId);
    const [deleted] = await h.waitForEvents('UserDeleted', (data) => data.userId === userId);
    expect(deleted!.event.data).toMatchObject({ userId, email, deletionRequestId: requested!.event.data.deletionRequestId });
    expect(await h.db.collection('users').findOne({ _id: userId as never })).toBeNull();
    // The entry survives the purge with the account pseudonymised, the admin and the reason named.
    const [entry] = await auditOf('deletion_by_admin', { 'details.deletionRequestId': requested!.event.data.deletionRequestId });
    expect(entry).toMatchObject({ details: { adminId: bossId, reason: 'asked by phone, identity checked' } });
    expect(entry!.userId).toBe(pseudonym('user', userId));
    expect(await expectStatus(await h.login(email, PASSWORD), 401)).toMatchObject({ code: 'invalid_credentials' });
    expect(await expectStatus(await act('deleteNow', userId, await freshBoss()), 404)).toMatchObject({ code: 'not_found' });
  });
});

describe('roles', () => {
  it('grants and revokes the admin role, naming the acting admin', async () => {
    const { userId } = await account('promoted');
    await expectStatus(await act('grantAdmin', userId, await freshBoss()), 204);
    const [granted] = await h.waitForEvents('RolesChanged', (data) => data.userId === userId);
    expect(granted!.event.data).toEqual({ userId, roles: ['user', 'admin'], granted: ['admin'], revoked: [] });
    await expectStatus(await act('revokeAdmin', userId, await freshBoss()), 204);
    const [, revoked] = await h.waitForEvents('RolesChanged', (data) => data.userId === userId, 2);
    expect(revoked!.event.data).toEqual({ userId, roles: ['user'], granted: [], revoked: ['admin'] });
    const entries = await h.db
      .collection('audit_log')
      .find({ userId, action: { $in: ['role_granted', 'role_revoked'] } })
      .toArray();
    expect(entries.map((e) => [e.action, e.details.adminId, e.details.changed])).toEqual([
      ['role_granted', bossId, true],
      ['role_revoked', bossId, true],
    ]);
  });
});

describe('the last admin', () => {
  it.each(['revokeAdmin', 'disable', 'deleteNow'] as const)('%s of the only active admin is refused with last_admin', async (name) => {
    expect(await expectStatus(await act(name, bossId, await freshBoss()), 409)).toMatchObject({ code: 'last_admin' });
    expect((await h.db.collection('users').findOne({ _id: bossId as never }))?.roles).toEqual(['user', 'admin']);
  });

  it('counts a disabled admin as no admin, and lets one admin go while another remains', async () => {
    const { userId: second } = await account('second-admin');
    await expectStatus(await act('grantAdmin', second, await freshBoss()), 204);
    await expectStatus(await act('disable', second, await freshBoss()), 204);
    expect(await expectStatus(await act('revokeAdmin', bossId, await freshBoss()), 409)).toMatchObject({ code: 'last_admin' });
    await expectStatus(await act('enable', second, await freshBoss()), 204);
    await expectStatus(await act('revokeAdmin', second, await freshBoss()), 204);
  });
});

/** Turns two-factor on for a signed-in account; resolves its secret. */
async function turnOnTwoFactor(tokens: Tokens): Promise<string> {
  const { secret } = (await expectStatus(
    await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
    200,
  )) as { secret: string };
  const code = await generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
  await expectStatus(await h.request('/auth/2fa/verify', { body: { password: PASSWORD, code }, token: tokens.access_token }), 200);
  return secret;
}
