import type { AuditRecord } from '../audit/audit-log';
import type { PendingDeletion } from '../users/user.model';
import type { UserSummary } from '../users/user.repository';
import { newPendingDeletion } from './pending-deletion';
import { signInActivity } from './sign-in-activity';

const now = new Date('2026-03-01T10:00:00.000Z');
const context = { ip: '203.0.113.7', userAgent: 'unit' };

/** The user repository's three methods sign-in activity uses, over one account in memory. */
function setup(deletion: PendingDeletion | null, options: { gone?: boolean; purgeStartsDuringCancel?: boolean; disabled?: boolean } = {}) {
  let account: UserSummary | null = options.gone
    ? null
    : {
        id: 'user-1',
        email: 'one@example.test',
        roles: ['user'],
        displayName: null,
        locale: 'en',
        emailVerifiedAt: now,
        createdAt: now,
        deletion,
        passwordBreached: false,
        disabled: options.disabled ?? false,
      };
  const cancelled: string[] = [];
  const audit: AuditRecord[] = [];
  const activity = signInActivity({
    users: {
      recordSignIn: async () => (account ? (account.disabled ? 'disabled' : { deletion: account.deletion }) : null),
      findById: async () => account,
      cancelDeletion: async (_userId, requestId) => {
        if (!account?.deletion || account.deletion.requestId !== requestId) return false;
        if (options.purgeStartsDuringCancel) {
          account = { ...account, deletion: { ...account.deletion, purgeStartedAt: now } };
          return false;
        }
        cancelled.push(requestId);
        account = { ...account, deletion: null };
        return true;
      },
    },
    audit: { record: async (entry) => void audit.push(entry) },
  });
  return { signedIn: () => activity.signedIn({ id: 'user-1' }, context, now), cancelled, audit };
}

describe('sign-in activity', () => {
  it('lets a sign-in through and leaves a deletion its owner asked for', async () => {
    const { signedIn, cancelled } = setup(newPendingDeletion(now, 10_000, 'requested'));
    expect(await signedIn()).toBe(true);
    expect(cancelled).toEqual([]);
  });

  it('cancels a deletion inactivity started, with an audit entry', async () => {
    const deletion = newPendingDeletion(now, 10_000, 'inactivity');
    const { signedIn, cancelled, audit } = setup(deletion);
    expect(await signedIn()).toBe(true);
    expect(cancelled).toEqual([deletion.requestId]);
    expect(audit).toMatchObject([{ action: 'deletion_cancelled', details: { deletionRequestId: deletion.requestId, by: 'sign_in' } }]);
  });

  it('refuses when the account is gone or its purge has begun, whatever the checks before said', async () => {
    expect(await setup(null, { gone: true }).signedIn()).toBe(false);
    expect(await setup({ ...newPendingDeletion(now, 0, 'requested'), purgeStartedAt: now }).signedIn()).toBe(false);
    expect(await setup({ ...newPendingDeletion(now, 0, 'inactivity'), purgeStartedAt: now }).signedIn()).toBe(false);
  });

  it('refuses a disabled account with its own code, and cancels nothing', async () => {
    const { signedIn, cancelled } = setup(newPendingDeletion(now, 10_000, 'inactivity'), { disabled: true });
    await expect(signedIn()).rejects.toMatchObject({ code: 'account_disabled' });
    expect(cancelled).toEqual([]);
  });

  it('refuses when the purge of an inactive account begins while the sign-in cancels it', async () => {
    const { signedIn, cancelled, audit } = setup(newPendingDeletion(now, 0, 'inactivity'), { purgeStartsDuringCancel: true });
    expect(await signedIn()).toBe(false);
    expect(cancelled).toEqual([]);
    expect(audit).toEqual([]);
  });
});
