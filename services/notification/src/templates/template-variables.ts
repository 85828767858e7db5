import { z } from 'zod';
import type { EmailTemplate } from '@solar/contracts';

/**
 * What each template needs, checked before rendering. Shared by every locale: the variables are the
 * contract with the services that request emails, the wording is the locale's business. Messages
 * never quote the value, since links carry tokens and the message ends up in EmailFailed.
 */
const present = z.string({ error: 'is missing' }).min(1, 'is missing');

const httpLink = present.transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a URL' });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    return z.NEVER;
  }
  return url.toString();
});

// A time and a zone are required: a bare date or local time would be read in the server's zone.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const isoDateTime = present.transform((value, ctx) => {
  const match = ISO_DATE_TIME.exec(value);
  const date = match ? new Date(value) : null;
  // V8 rolls 30 February over into March rather than refusing it, so the day is checked here.
  const [year, month, day] = match ? match.slice(1, 4).map(Number) : [];
  const daysInMonth = year && month ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (!date || Number.isNaN(date.getTime()) || !day || day > daysInMonth) {
    ctx.addIssue({ code: 'custom', message: 'is not an ISO 8601 date-time with a zone' });
    return z.NEVER;
  }
  return date;
});

const none = z.object({});

export const TemplateVariables = {
  'verify-email': z.object({ link: httpLink, expiresAt: isoDateTime }),
  'password-reset': z.object({ link: httpLink, expiresAt: isoDateTime }),
  'password-changed': none,
  'email-change-requested': z.object({ link: httpLink, expiresAt: isoDateTime }),
  'email-change-address-taken': none,
  'email-changed': z.object({ newEmail: present, link: httpLink, expiresAt: isoDateTime }),
  'password-breached': none,
  'registration-attempt': none,
  'account-locked': z.object({ lockedUntil: isoDateTime }),
  'deletion-requested': z.object({ purgeAt: isoDateTime, cancelLink: httpLink }),
  'deletion-cancelled': none,
  // UserDeleted's reason; absent (an older identity, or the owner's own request) means requested.
  'account-deleted': z.object({ reason: z.enum(['requested', 'inactivity', 'unverified']).default('requested') }),
  'inactive-account-warning': z.object({ signInBy: isoDateTime, signInLink: httpLink }),
  'waitlist-joined': none,
  'waitlist-approved': z.object({ inviteLink: httpLink, expiresAt: isoDateTime }),
  'two-factor-enabled': none,
  'two-factor-disabled': none,
  'two-factor-reset-requested': z.object({ link: httpLink, expiresAt: isoDateTime }),
  'two-factor-reset-scheduled': z.object({ effectiveAt: isoDateTime, cancelLink: httpLink }),
  'passkey-added': z.object({ name: present }),
  'data-export-ready': z.object({ link: httpLink, expiresAt: isoDateTime }),
  'two-factor-reset-cancelled': none,
  'two-factor-reset-by-admin': none,
  'webhook-endpoint-disabled': z.object({ endpoint: present, failingSince: isoDateTime }),
} satisfies Record<EmailTemplate, z.ZodType<object>>;

export type TemplateVariables<T extends EmailTemplate> = z.output<(typeof TemplateVariables)[T]>;
