import { AppError } from '@solar/chassis';
import type { AuditRecord } from '../audit/audit-log';
import type { TokenResponse } from '../sessions/session-issuer';
import type { PasswordHasher } from '../users/password-hasher';
import type { UserSummary } from '../users/user.repository';
import { EMPTY_THROTTLE, afterFailure, type ThrottleKey, type ThrottlePolicy, type ThrottleState } from './login-throttle';
import { login, type LoginThrottle } from './login.use-case';
import { scheduleReset, type PendingReset } from '../two-factor/pending-reset';

const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 3_600_000 };
const context = { ip: '203.0.113.7', userAgent: 'unit' };
/** The address-wide count: higher than the per-client lock, and it asks for a CAPTCHA instead. */
const addressPolicy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, baseLockMs: 15 * 60_000, maxLockMs: 15 * 60_000 };
/** The memory throttle's key for an address tried from `ip` (the tests' own client by default). */
const clientOf = (email: string, ip = context.ip) => `${email}|${ip}`;
const DUMMY = 'dummy-hash';

const alice: UserSummary = {
  id: 'user-alice',
  email: 'alice@example.test',
  roles: ['user'],
  displayName: null,
  locale: 'en',
  emailVerifiedAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  deletion: null,
  passwordBreached: false,
  disabled: false,
};

/** A hasher whose "hash" is the password itself, counting each verification and what it ran against. */
function countingHasher() {
  const verified: string[] = [];
  const hasher: PasswordHasher = {
    hash: async (password) => `hash:${password}`,
    verify: async (hash, password) => {
      verified.push(hash);
      return hash === `hash:${password}`;
    },
  };
  return { hasher, verified };
}

/** The throttle repository's contract, in memory. */
class MemoryThrottle implements LoginThrottle {
  /** The per-client counts, by clientOf(address, ip). */
  readonly states = new Map<string, ThrottleState>();
  readonly addresses = new Map<string, ThrottleState>();
  resets = 0;
  async stateOf(key: ThrottleKey) {
    return {
      client: this.states.get(clientOf(key.email, key.ip)) ?? EMPTY_THROTTLE,
      address: this.addresses.get(key.email) ?? EMPTY_THROTTLE,
    };
  }
  async recordFailure(key: ThrottleKey, now: Date) {
    const { client, address } = await this.stateOf(key);
    const outcome = afterFailure(client, now, policy);
    this.states.set(clientOf(key.email, key.ip), outcome.state);
    this.addresses.set(key.email, afterFailure(address, now, addressPolicy).state);
    return outcome;
  }
  async reset(key: ThrottleKey) {
    this.resets++;
    this.states.delete(clientOf(key.email, key.ip));
  }
  async resetAddress(email: string) {
    for (const client of this.states.keys()) if (client.startsWith(`${email}|`)) this.states.delete(client);
    this.addresses.delete(email);
  }
}

function setup(account: UserSummary = alice) {
  const { hasher, verified } = countingHasher();
  const throttle = new MemoryThrottle();
  const audit: { record: AuditRecord; events: { type: string; data: unknown }[] }[] = [];
  const announced: { userId: string; events: { type: string; data: unknown }[] }[] = [];
  const opened: { userId: string; factors: string[] }[] = [];
  let now = new Date('2026-03-01T10:00:00Z');
  const twoFactorOn = new Set<string>();
  const challenges: { userId: string; hash: string; expiresAt: Date; captchaSolved?: boolean | undefined }[] = [];
  /** Two-factor resets pending, by account: when each takes effect. */
  const resets = new Map<string, PendingReset>();
  const signIn = login({
    users: {
      findCredentials: async (email) =>
        email === account.email
          ? {
              user: account,
              passwordHash: 'hash:right password',
              gate: { on: twoFactorOn.has(account.id), reset: twoFactorOn.has(account.id) ? (resets.get(account.id) ?? null) : null },
            }
          : null,
      announce: async (userId, events) => {
        announced.push({ userId, events });
      },
    },
    throttle,
    hasher,
    dummyHash: DUMMY,
    audit: {
      record: async (record, events = []) => {
        audit.push({ record, events });
      },
    },
    sessions: {
      open: async (user, _context, factors) => {
        opened.push({ userId: user.id, factors });
        return { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r' } satisfies TokenResponse;
      },
    },
    secondFactor: {
      completeDueReset: async (userId, at, events) => {
        const reset = resets.get(userId);
        if (!twoFactorOn.has(userId) || !reset || reset.effectiveAt > at) return false;
        twoFactorOn.delete(userId);
        resets.delete(userId);
        announced.push({ userId, events });
        return true;
      },
      addChallenge: async (userId, challenge) => {
        challenges.push({ userId, hash: challenge.hash, expiresAt: challenge.expiresAt, captchaSolved: challenge.captchaSolved });
      },
    },
    mfa: { ttlMs: 300_000 },
    // The signed header's stand-in: the gateway's proof names the address it was issued for.
    captchaSolved: (proof, email) => proof === `proof-for:${email}`,
    passwordGrantAllowed: () => true,
    checkPassword: async () => false,
    clock: () => now,
  });
  return {
    signIn: (email: string, password: string, ip = context.ip, captchaProof?: string) =>
      signIn({ email, password, captchaProof, context: { ...context, ip } }),
    verified,
    throttle,
    audit,
    announced,
    opened,
    twoFactorOn,
    challenges,
    resets,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('login use case', () => {
  it('runs one argon2 verification against the dummy hash for an unknown address', async () => {
    const t = setup();
    expect(await codeOf(t.signIn('nobody@example.test', 'whatever'))).toBe('invalid_credentials');
    expect(t.verified).toEqual([DUMMY]);
  });

  it('runs exactly one verification, against the real hash, for a wrong password', async () => {
    const t = setup();
    expect(await codeOf(t.signIn(alice.email, 'wrong'))).toBe('invalid_credentials');
    expect(t.verified).toEqual(['hash:right password']);
  });

  it('opens a password session for the right password', async () => {
    const t = setup();
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('ok');
    expect(t.opened).toEqual([{ userId: alice.id, factors: ['password'] }]);
    expect(t.audit.map((a) => [a.record.action, a.record.outcome])).toEqual([['login', 'success']]);
  });

  it('refuses a disabled account only once its password is right, before any second factor', async () => {
    const t = setup({ ...alice, disabled: true });
    t.twoFactorOn.add(alice.id);
    expect(await codeOf(t.signIn(alice.email, 'wrong'))).toBe('invalid_credentials');
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('account_disabled');
    expect(t.opened).toEqual([]);
    expect(t.challenges).toEqual([]);
    expect(t.audit.at(-1)?.record).toMatchObject({ action: 'login', outcome: 'failure', details: { reason: 'account_disabled' } });
  });

  it('records the failure reason and the running count in LoginFailed', async () => {
    const t = setup();
    await codeOf(t.signIn(alice.email, 'wrong'));
    await codeOf(t.signIn('ghost@example.test', 'wrong'));
    expect(t.audit.map((a) => a.events.map((e) => [e.type, (e.data as { reason: string }).reason]))).toEqual([
      [['com.solar-intelligence.identity.LoginFailed.v1', 'bad_password']],
      [['com.solar-intelligence.identity.LoginFailed.v1', 'unknown_user']],
    ]);
  });

  it('checks no password while the address is locked, and announces the lock only to a real owner', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await codeOf(t.signIn(alice.email, 'wrong'));
    for (let i = 0; i < 3; i++) await codeOf(t.signIn('ghost@example.test', 'wrong'));
    const before = t.verified.length;
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('account_locked');
    expect(await codeOf(t.signIn('ghost@example.test', 'wrong'))).toBe('account_locked');
    expect(t.verified).toHaveLength(before);
    expect(t.opened).toEqual([]);
    expect(t.announced).toEqual([
      { userId: alice.id, events: [expect.objectContaining({ data: expect.objectContaining({ template: 'account-locked' }) })] },
    ]);
    expect(t.audit.filter((a) => a.record.action === 'account_locked').map((a) => a.record.userId)).toEqual([alice.id]);
  });

  it('reports how long the lock lasts in whole seconds, rounded up', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await codeOf(t.signIn(alice.email, 'wrong'));
    t.advance(59_500);
    const error = await t.signIn(alice.email, 'right password').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).extensions).toEqual({ retryAfterSeconds: 1 });
  });

  it('answers a correct password with an mfa token instead of a session when two-factor is on, and keeps counting failures', async () => {
    const t = setup();
    t.twoFactorOn.add(alice.id);
    await codeOf(t.signIn(alice.email, 'wrong'));
    const answer = await t.signIn(alice.email, 'right password');
    expect(answer).toEqual({ mfa_required: true, mfa_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(t.opened).toEqual([]);
    expect(t.challenges).toEqual([
      {
        userId: alice.id,
        hash: expect.not.stringContaining((answer as { mfa_token: string }).mfa_token),
        expiresAt: new Date('2026-03-01T10:05:00Z'),
      },
    ]);
    expect(t.throttle.states.get(clientOf(alice.email))?.failures).toBe(1);
    expect(t.audit.map((a) => a.record.action)).toEqual(['login', 'mfa_challenge_issued']);
  });

  it('still asks for the second factor while a confirmed two-factor reset waits out its delay', async () => {
    const t = setup();
    t.twoFactorOn.add(alice.id);
    t.resets.set(alice.id, scheduleReset(new Date('2026-03-01T10:00:00Z'), 60_000));
    t.advance(59_999);
    expect(await t.signIn(alice.email, 'right password')).toMatchObject({ mfa_required: true });
    expect(t.opened).toEqual([]);
    expect(t.twoFactorOn.has(alice.id)).toBe(true);
  });

  it('turns two-factor off at the first correct sign-in once the reset is due, announcing it, and signs in with the password alone', async () => {
    const t = setup();
    t.twoFactorOn.add(alice.id);
    t.resets.set(alice.id, scheduleReset(new Date('2026-03-01T10:00:00Z'), 60_000));
    t.advance(60_000);
    expect(await codeOf(t.signIn(alice.email, 'wrong'))).toBe('invalid_credentials');
    expect(t.twoFactorOn.has(alice.id)).toBe(true);
    expect(await t.signIn(alice.email, 'right password')).toMatchObject({ access_token: 'a' });
    expect(t.opened).toEqual([{ userId: alice.id, factors: ['password'] }]);
    expect(t.twoFactorOn.has(alice.id)).toBe(false);
    expect(t.announced.flatMap((a) => a.events.map((e) => e.type))).toEqual([
      'com.solar-intelligence.identity.TwoFactorDisabled.v1',
      'com.solar-intelligence.notification.EmailRequested.v1',
    ]);
    expect(t.audit.map((a) => a.record.action)).toEqual(['login', 'two_factor_reset_completed', 'login']);
  });

  it('clears the count after a successful sign-in', async () => {
    const t = setup();
    await codeOf(t.signIn(alice.email, 'wrong'));
    await codeOf(t.signIn(alice.email, 'wrong'));
    await codeOf(t.signIn(alice.email, 'right password'));
    expect(t.throttle.states.has(clientOf(alice.email))).toBe(false);
    expect(t.throttle.resets).toBe(1);
  });

  it('clears nothing, and writes nothing, after a sign-in with no failure on record', async () => {
    const t = setup();
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('ok');
    expect(t.throttle.resets).toBe(0);
  });

  it('clears a lock that has run out, whose growing delay is still on record', async () => {
    const t = setup();
    for (let i = 0; i < policy.maxFailures; i++) await codeOf(t.signIn(alice.email, 'wrong'));
    t.advance(policy.maxLockMs);
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('ok');
    expect(t.throttle.states.has(clientOf(alice.email))).toBe(false);
  });

  it('locks an address for the client that guessed, not for its owner elsewhere', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await codeOf(t.signIn(alice.email, 'wrong', '198.51.100.9'));
    expect(await codeOf(t.signIn(alice.email, 'right password', '198.51.100.9'))).toBe('account_locked');
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('ok');
  });

  it('asks for a CAPTCHA, and checks no password, once guesses from many clients pass the address threshold', async () => {
    const t = setup();
    for (let i = 0; i < addressPolicy.maxFailures; i++) await codeOf(t.signIn(alice.email, 'wrong', `198.51.100.${i}`));
    const before = t.verified.length;
    const error = await t.signIn(alice.email, 'right password').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'captcha_required', extensions: { retryAfterSeconds: 900 } });
    expect(t.verified).toHaveLength(before);
    // No single client reached its lock: nobody was told of one.
    expect(t.announced).toEqual([]);
    t.advance(addressPolicy.windowMs);
    expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('ok');
  });

  describe('with a CAPTCHA the gateway verified (security review finding 4, the sign-in past the address count)', () => {
    async function pastAddressThreshold() {
      const t = setup();
      for (let i = 0; i < addressPolicy.maxFailures; i++) await codeOf(t.signIn(alice.email, 'wrong', `198.51.100.${i}`));
      return t;
    }

    it('tells the client to send a captchaToken, and refuses without a proof or with one for another address', async () => {
      const t = await pastAddressThreshold();
      const error = await t.signIn(alice.email, 'right password').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'captcha_required', message: expect.stringContaining('captchaToken') });
      expect(await codeOf(t.signIn(alice.email, 'right password', context.ip, 'proof-for:mallory@example.test'))).toBe('captcha_required');
      expect(await codeOf(t.signIn(alice.email, 'right password', context.ip, 'forged'))).toBe('captcha_required');
    });

    it('checks the password: the right one signs in before the window ends', async () => {
      const t = await pastAddressThreshold();
      expect(await codeOf(t.signIn(alice.email, 'right password', context.ip, `proof-for:${alice.email}`))).toBe('ok');
      expect(t.opened).toEqual([{ userId: alice.id, factors: ['password'] }]);
      // The address-wide count is not forgiven by the owner's sign-in: the next one without a CAPTCHA is still refused.
      expect(await codeOf(t.signIn(alice.email, 'right password'))).toBe('captcha_required');
    });

    it('counts a wrong password towards the client lock, which a CAPTCHA does not lift', async () => {
      const t = await pastAddressThreshold();
      const proof = `proof-for:${alice.email}`;
      const before = t.verified.length;
      for (let i = 0; i < policy.maxFailures; i++)
        expect(await codeOf(t.signIn(alice.email, 'wrong', context.ip, proof))).toBe('invalid_credentials');
      expect(t.verified).toHaveLength(before + policy.maxFailures);
      expect(t.audit.filter(({ record }) => record.details?.reason === 'bad_password').length).toBeGreaterThanOrEqual(policy.maxFailures);
      expect(await codeOf(t.signIn(alice.email, 'right password', context.ip, proof))).toBe('account_locked');
    });

    it('marks the two-factor challenge, so the second step is not asked for the CAPTCHA again', async () => {
      const t = await pastAddressThreshold();
      t.twoFactorOn.add(alice.id);
      expect(await t.signIn(alice.email, 'right password', context.ip, `proof-for:${alice.email}`)).toMatchObject({ mfa_required: true });
      expect(t.challenges).toEqual([expect.objectContaining({ userId: alice.id, captchaSolved: true })]);
      t.advance(addressPolicy.windowMs);
      await t.signIn(alice.email, 'right password');
      expect(t.challenges[1]?.captchaSolved).toBeUndefined();
    });
  });
});
