import { z } from 'zod';

export const EmailTemplate = z.enum([
  'verify-email',
  'password-reset',
  'password-changed',
  'email-change-requested',
  'email-change-address-taken',
  'email-changed',
  'password-breached',
  'registration-attempt',
  'account-locked',
  'deletion-requested',
  'deletion-cancelled',
  'account-deleted',
  'inactive-account-warning',
  'waitlist-joined',
  'waitlist-approved',
  'two-factor-enabled',
  'two-factor-disabled',
  'two-factor-reset-requested',
  'two-factor-reset-scheduled',
  'two-factor-reset-cancelled',
  'passkey-added',
  'two-factor-reset-by-admin',
  'data-export-ready',
  'webhook-endpoint-disabled',
]);
export type EmailTemplate = z.output<typeof EmailTemplate>;

export const EmailProvider = z.enum(['sendgrid', 'ses', 'mailgun', 'smtp']);
export type EmailProvider = z.output<typeof EmailProvider>;
