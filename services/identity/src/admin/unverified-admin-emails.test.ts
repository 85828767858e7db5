import type { UserSummary } from '../users/user.repository';
import { unverifiedAdminEmails } from './unverified-admin-emails';

const account = (email: string, emailVerifiedAt: Date | null): UserSummary =>
  ({ id: email, email, roles: ['user'], displayName: null, emailVerifiedAt, createdAt: new Date(0) }) as UserSummary;

describe('unverifiedAdminEmails', () => {
  it('names the listed addresses without an account, or whose account is not verified', async () => {
    const accounts = new Map([
      ['verified@example.test', account('verified@example.test', new Date(0))],
      ['squatted@example.test', account('squatted@example.test', null)],
    ]);
    const users = { findByEmail: (email: string) => Promise.resolve(accounts.get(email) ?? null) };
    const listed = new Set(['verified@example.test', 'squatted@example.test', 'absent@example.test']);
    expect(await unverifiedAdminEmails({ users }, listed)).toEqual(['squatted@example.test', 'absent@example.test']);
  });
});
