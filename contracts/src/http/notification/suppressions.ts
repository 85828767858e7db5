import { z } from 'zod';
import { EmailProvider } from '../../notification/email-template';
import { IsoTime, PageQuery, pageOf } from '../common';
import { Email } from '../identity/fields';
import { defineOperations } from '../operation';

const SuppressionReason = z.enum(['hard_bounce', 'complaint', 'manual']);
const MailEventKind = z.enum(['hard_bounce', 'soft_bounce', 'complaint', 'dropped']);

export const SuppressionQuery = PageQuery.extend({
  q: z.string().trim().toLowerCase().max(254).optional().describe('Only addresses containing this text (case-insensitive).'),
});

const Suppression = z.object({
  address: z.string(),
  reason: SuppressionReason,
  source: z.string().describe("The provider that reported it, or 'manual'."),
  since: IsoTime,
  lastEvent: z
    .object({ kind: MailEventKind, provider: z.string(), at: IsoTime })
    .nullable()
    .describe('The latest bounce or complaint a provider reported for the address; null when none is kept.'),
});
export const SuppressionPage = pageOf(Suppression);
export type SuppressionPage = z.infer<typeof SuppressionPage>;

const BounceEvent = z.object({
  provider: EmailProvider,
  kind: MailEventKind,
  address: z.string().nullable().describe('Null once the person was erased: the count stays, the address does not.'),
  at: IsoTime.describe('When the provider says it happened.'),
  receivedAt: IsoTime,
});
export const BounceEventPage = pageOf(BounceEvent);
export type BounceEventPage = z.infer<typeof BounceEventPage>;

export const SuppressionParams = z.object({ address: Email });

export const RemoveSuppressionBody = z.object({
  reason: z.string().trim().min(1).max(500).describe('Why mail to the address may go out again, kept with the removal.'),
});

const SuppressionRemoval = z.object({
  address: z.string().nullable().describe('Null once the person was erased.'),
  reason: SuppressionReason.describe('Why the address had been suppressed.'),
  source: z.string(),
  suppressedAt: IsoTime,
  removedBy: z.string().describe('User id of the admin who removed it.'),
  note: z.string().describe('The reason the admin gave.'),
  removedAt: IsoTime,
});
export const SuppressionRemovalPage = pageOf(SuppressionRemoval);
export type SuppressionRemovalPage = z.infer<typeof SuppressionRemovalPage>;

const base = { service: 'notification', tags: ['admin'] as string[], security: 'admin' } as const;

export const suppressionOperations = defineOperations([
  {
    ...base,
    operationId: 'listSuppressions',
    method: 'get',
    path: '/admin/email/suppressions',
    summary: 'Addresses no email is sent to, newest first',
    query: SuppressionQuery,
    responses: { 200: { description: 'A page of suppressed addresses.', body: SuppressionPage } },
    errors: ['validation_failed'],
  },
  {
    ...base,
    operationId: 'listBounceEvents',
    method: 'get',
    path: '/admin/email/bounces',
    summary: 'Bounces and complaints the providers reported, newest first',
    query: PageQuery,
    responses: { 200: { description: 'A page of reported events.', body: BounceEventPage } },
    errors: ['validation_failed'],
  },
  {
    ...base,
    operationId: 'removeSuppression',
    method: 'post',
    path: '/admin/email/suppressions/{address}/remove',
    summary: 'Let email go to a suppressed address again',
    description:
      'Wants a sign-in of the admin (password, and second factor if on) within ADMIN_REAUTH_WINDOW, else 403 `reauthentication_required`; the removal is recorded with the admin and the reason (`GET /admin/email/suppression-removals`).',
    params: SuppressionParams,
    body: { json: RemoveSuppressionBody },
    responses: { 204: { description: 'Removed; the next email to the address is sent.' } },
    errors: ['validation_failed', 'forbidden', 'reauthentication_required', 'not_found'],
  },
  {
    ...base,
    operationId: 'listSuppressionRemovals',
    method: 'get',
    path: '/admin/email/suppression-removals',
    summary: 'Suppressions admins removed, newest first',
    query: PageQuery,
    responses: { 200: { description: 'Who removed which suppression, when and why.', body: SuppressionRemovalPage } },
    errors: ['validation_failed'],
  },
]);
