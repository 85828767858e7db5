import type { UserRepository } from '../users/user.repository';

/** The addresses of ADMIN_EMAILS that no verified account holds yet, in the listed order. */
export async function unverifiedAdminEmails(
  deps: { users: Pick<UserRepository, 'findByEmail'> },
  adminEmails: ReadonlySet<string>,
): Promise<string[]> {
  const waiting: string[] = [];
  for (const email of adminEmails) {
    const user = await deps.users.findByEmail(email);
    if (!user?.emailVerifiedAt) waiting.push(email);
  }
  return waiting;
}
