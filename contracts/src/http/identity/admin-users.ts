import { z } from 'zod';
import { Locale } from '../../fields';
import { IsoTime, PageQuery, pageOf } from '../common';
import { defineOperations } from '../operation';
import { AdminUserIdParam } from './admin-actions';
import { PendingDeletionView } from './deletion';
import { SessionEntry } from './sessions';
import { TwoFactorStatus } from './two-factor';

export const AdminUsersQuery = PageQuery.extend({ q: z.string().trim().max(254).optional().describe('Part of an email address.') });

const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  roles: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: IsoTime,
});
export const AdminUserPage = pageOf(AdminUser);
export type AdminUserPage = z.infer<typeof AdminUserPage>;

/** One account as an admin acting on it sees it: the list's fields, and what its actions change. */
export const AdminUserDetail = AdminUser.extend({
  displayName: z.string().nullable(),
  locale: Locale,
  deletion: PendingDeletionView.nullable().describe('The pending deletion, or null when none is.'),
  twoFactor: TwoFactorStatus.pick({ enabled: true, enabledAt: true, reset: true }),
  sessions: z.array(SessionEntry).describe('The live sessions, the most recently used first.'),
});
export type AdminUserDetail = z.infer<typeof AdminUserDetail>;

export const adminUsersOperations = defineOperations([
  {
    operationId: 'listUsers',
    method: 'get',
    path: '/admin/users',
    service: 'identity',
    summary: 'Accounts, newest first, optionally by address',
    tags: ['admin'],
    security: 'admin',
    query: AdminUsersQuery,
    responses: { 200: { description: 'One page of accounts.', body: AdminUserPage } },
    errors: ['validation_failed'],
  },
  {
    operationId: 'getUser',
    method: 'get',
    path: '/admin/users/{id}',
    service: 'identity',
    summary: 'One account: profile, roles, state, two-factor, pending deletion and live sessions',
    tags: ['admin'],
    security: 'admin',
    params: AdminUserIdParam,
    responses: { 200: { description: 'The account.', body: AdminUserDetail } },
    errors: ['not_found'],
  },
]);
