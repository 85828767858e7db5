import { decodeCursor, pageOf, type Page } from '@solar/chassis';
import type { UserRepository, UserSummary } from '../users/user.repository';

export function listUsers(deps: { users: Pick<UserRepository, 'listNewestFirst'> }) {
  return async (input: { q?: string | undefined; cursor?: string | undefined; limit: number }): Promise<Page<UserSummary>> => {
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const rows = await deps.users.listNewestFirst({
      ...(input.q ? { emailContains: input.q } : {}),
      ...(after ? { after } : {}),
      limit: input.limit + 1,
    });
    return pageOf(rows, input.limit, (user) => ({ at: user.createdAt, id: user.id }));
  };
}
