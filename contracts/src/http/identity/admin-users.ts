import { z } from 'zod';
import { IsoTime, PageQuery, pageOf } from '../common';
import { defineOperations } from '../operation';

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
]);
