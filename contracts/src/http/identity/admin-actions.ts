import { z } from 'zod';
import { defineOperations, type Operation, type ProblemCode } from '../operation';

export const AdminUserIdParam = z.object({ id: z.string().min(1).max(128).describe('The account’s id.') });
export const AdminRoleParams = AdminUserIdParam.extend({ role: z.enum(['admin']).describe('The role granted or revoked.') });

export const AdminDisableBody = z.object({
  reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit log.'),
});
export const AdminDeleteBody = z.object({
  reason: z.string().trim().min(1).max(500).describe('Why the account is deleted at once, for the audit log.'),
});

/** Every admin action wants a fresh sign-in of the admin, and answers 204 once done. */
const ACTION_ERRORS: ProblemCode[] = ['forbidden', 'reauthentication_required', 'not_found'];

const action = (
  entry: Pick<Operation, 'operationId' | 'method' | 'path' | 'summary' | 'description' | 'body' | 'params'> & { errors?: ProblemCode[] },
) =>
  ({
    service: 'identity',
    tags: ['admin'],
    security: 'admin',
    params: AdminUserIdParam,
    ...entry,
    responses: { 204: { description: 'Done.' } },
    errors: [...ACTION_ERRORS, ...(entry.errors ?? [])],
  }) satisfies Operation;

const REAUTH =
  'Wants a sign-in of the admin (password, and second factor if on) within ADMIN_REAUTH_WINDOW, else 403 `reauthentication_required`; written to the audit log of the account, naming the admin.';

export const adminActionOperations = defineOperations([
  action({
    operationId: 'disableUser',
    method: 'post',
    path: '/admin/users/{id}/disable',
    summary: 'Disable an account: sign-ins refused, every session and app token ended',
    description: `Publishes AccountDisabled; its sign-ins answer 403 \`account_disabled\`. ${REAUTH}`,
    body: { json: AdminDisableBody, required: false },
    errors: ['conflict', 'last_admin'],
  }),
  action({
    operationId: 'enableUser',
    method: 'post',
    path: '/admin/users/{id}/enable',
    summary: 'Enable a disabled account again',
    description: `Publishes AccountEnabled. ${REAUTH}`,
    errors: ['conflict'],
  }),
  action({
    operationId: 'unlockUser',
    method: 'post',
    path: '/admin/users/{id}/unlock',
    summary: 'Clear the sign-in lockout and throttle of an account’s address',
    description: REAUTH,
  }),
  action({
    operationId: 'resetUserTwoFactor',
    method: 'post',
    path: '/admin/users/{id}/reset-two-factor',
    summary: 'Turn two-factor off and drop the recovery codes; the owner is emailed',
    description: `Publishes TwoFactorDisabled; 409 when two-factor is not on. ${REAUTH}`,
    errors: ['conflict'],
  }),
  action({
    operationId: 'endUserSessions',
    method: 'post',
    path: '/admin/users/{id}/end-sessions',
    summary: 'End every session of an account',
    description: `Publishes SessionRevoked (reason \`revoked\`) for each. ${REAUTH}`,
  }),
  action({
    operationId: 'deleteUserNow',
    method: 'post',
    path: '/admin/users/{id}/delete',
    summary: 'Delete an account now, without the grace period',
    description: `The normal purge (UserDeleted, then every service erases the account), at once; 409 while a purge is under way. ${REAUTH}`,
    body: { json: AdminDeleteBody },
    errors: ['conflict', 'last_admin'],
  }),
  action({
    operationId: 'grantUserRole',
    method: 'put',
    path: '/admin/users/{id}/roles/{role}',
    summary: 'Grant a role (only to a verified address)',
    description: `Publishes RolesChanged when the account did not hold it. ${REAUTH}`,
    params: AdminRoleParams,
  }),
  action({
    operationId: 'revokeUserRole',
    method: 'delete',
    path: '/admin/users/{id}/roles/{role}',
    summary: 'Revoke a role',
    description: `Publishes RolesChanged when the account held it. ${REAUTH}`,
    params: AdminRoleParams,
    errors: ['last_admin'],
  }),
]);
