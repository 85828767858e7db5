import { z } from 'zod';
import { IsoTime, PageQuery, pageOf } from '../common';
import { defineOperations } from '../operation';

export const AUDIT_ACTIONS = [
  'register',
  'login',
  'account_locked',
  'logout',
  'logout_all',
  'token_refresh',
  'refresh_token_reused',
  'verification_requested',
  'email_verified',
  'password_reset_requested',
  'password_reset',
  'password_changed',
  'email_change_requested',
  'email_changed',
  'email_change_undone',
  'password_breach_detected',
  'session_revoked',
  'profile_updated',
  'role_granted',
  'role_revoked',
  'two_factor_setup_started',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_codes_regenerated',
  'two_factor_reset_requested',
  'two_factor_reset_confirmed',
  'two_factor_reset_cancelled',
  'two_factor_reset_completed',
  'mfa_challenge_issued',
  'passkey_added',
  'passkey_removed',
  'waitlist_joined',
  'waitlist_approved',
  'waitlist_rejected',
  'deletion_requested',
  'deletion_cancelled',
  'account_deleted',
  'inactivity_warning',
  'account_disabled',
  'account_enabled',
  'account_unlocked',
  'two_factor_reset_by_admin',
  'sessions_ended_by_admin',
  'deletion_by_admin',
  'data_export_requested',
  'data_export_downloaded',
  'email_suppression_removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const Instant = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .optional();

export const AdminAuditQuery = PageQuery.extend({
  userId: z.string().min(1).max(128).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: Instant,
  to: Instant,
}).refine((query) => !query.from || !query.to || query.from <= query.to, { path: ['from'], message: 'must not be after to' });

const AuditEntry = z.object({
  id: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  outcome: z.enum(['success', 'failure']),
  ip: z.string(),
  userAgent: z.string(),
  at: IsoTime,
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export const AuditPage = pageOf(AuditEntry);
export type AuditPage = z.infer<typeof AuditPage>;
export const AdminAuditPage = pageOf(AuditEntry.extend({ userId: z.string().nullable() }));
export type AdminAuditPage = z.infer<typeof AdminAuditPage>;

export const auditOperations = defineOperations([
  {
    operationId: 'listOwnAuditLog',
    method: 'get',
    path: '/users/me/audit-log',
    service: 'identity',
    summary: "The signed-in account's security history, newest first",
    tags: ['users'],
    security: 'bearer',
    query: PageQuery,
    responses: { 200: { description: 'One page of entries.', body: AuditPage } },
    errors: ['validation_failed'],
  },
  {
    operationId: 'listAuditLog',
    method: 'get',
    path: '/admin/audit-log',
    service: 'identity',
    summary: 'Every account’s security history, newest first, filtered',
    tags: ['admin'],
    security: 'admin',
    query: AdminAuditQuery,
    responses: { 200: { description: 'One page of entries.', body: AdminAuditPage } },
    errors: ['validation_failed'],
  },
]);
