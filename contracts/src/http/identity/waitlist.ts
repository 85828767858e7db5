import { z } from 'zod';
import { Locale } from '../../fields';
import { IsoTime, Message, PageQuery, pageOf } from '../common';
import { defineOperations } from '../operation';
import { Email } from './fields';

export const WaitlistJoinBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(100).optional(),
  locale: Locale.optional().describe(
    'The language of the confirmation and of the invite; else negotiated from Accept-Language, else `en`. An unsupported value is refused (400).',
  ),
  // Checked by the gateway, which forwards the body unchanged; identity ignores it.
  captchaToken: z.string().max(4096).optional().describe('The CAPTCHA answer, checked by the gateway when CAPTCHA is on.'),
});
export type WaitlistJoinBody = z.infer<typeof WaitlistJoinBody>;

export const WaitlistStatus = z.enum(['pending', 'approved', 'rejected']);
export type WaitlistStatus = z.infer<typeof WaitlistStatus>;

export const WaitlistEntry = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  status: WaitlistStatus,
  createdAt: IsoTime,
  decidedAt: IsoTime.nullable(),
  inviteExpiresAt: IsoTime.nullable(),
  inviteUsedAt: IsoTime.nullable(),
});
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

export const WaitlistPage = pageOf(WaitlistEntry);
export type WaitlistPage = z.infer<typeof WaitlistPage>;

export const AdminWaitlistQuery = PageQuery.extend({ status: WaitlistStatus.optional() });

export const WaitlistEntryIdParam = z.object({ id: z.string().min(1).max(64) });

export const waitlistOperations = defineOperations([
  {
    operationId: 'joinWaitlist',
    method: 'post',
    path: '/waitlist/join',
    service: 'identity',
    summary: 'Put an address on the waitlist',
    description: 'Answers the same for a new and an already listed address; the address gets a confirmation by email.',
    tags: ['auth'],
    security: 'none',
    body: { json: WaitlistJoinBody },
    responses: { 202: { description: 'Listed, or already was.', body: Message } },
    // 503: the CAPTCHA provider cannot be reached and the gateway fails closed.
    errors: ['validation_failed', 'captcha_failed', 'service_unavailable'],
    rateLimit: 'waitlist-join',
  },
  {
    operationId: 'listWaitlist',
    method: 'get',
    path: '/admin/waitlist',
    service: 'identity',
    summary: 'Waitlist entries, newest first, optionally by status',
    tags: ['admin'],
    security: 'admin',
    query: AdminWaitlistQuery,
    responses: { 200: { description: 'One page of entries.', body: WaitlistPage } },
    errors: ['validation_failed'],
  },
  {
    operationId: 'approveWaitlistEntry',
    method: 'post',
    path: '/admin/waitlist/{id}/approve',
    service: 'identity',
    summary: 'Approve a pending entry and email it an invite to register',
    tags: ['admin'],
    security: 'admin',
    params: WaitlistEntryIdParam,
    responses: { 200: { description: 'The entry, approved, with its invite’s expiry.', body: WaitlistEntry } },
    errors: ['not_found', 'conflict'],
  },
  {
    operationId: 'rejectWaitlistEntry',
    method: 'post',
    path: '/admin/waitlist/{id}/reject',
    service: 'identity',
    summary: 'Reject a pending entry',
    tags: ['admin'],
    security: 'admin',
    params: WaitlistEntryIdParam,
    responses: { 200: { description: 'The entry, rejected.', body: WaitlistEntry } },
    errors: ['not_found', 'conflict'],
  },
]);
