import { z } from 'zod';

/** Bodies and answers of the waitlist endpoints (identity, through the gateway under /v1). */

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

export const WaitlistJoinBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(100).optional(),
  // Checked by the gateway, which forwards the body unchanged; identity ignores it.
  captchaToken: z.string().max(4096).optional(),
});
export type WaitlistJoinBody = z.output<typeof WaitlistJoinBody>;

/** The same 202 body for new and already listed addresses. */
export const WaitlistJoinResponse = z.object({ message: z.string() });

export const WaitlistStatus = z.enum(['pending', 'approved', 'rejected']);
export type WaitlistStatus = z.output<typeof WaitlistStatus>;

export const WaitlistEntry = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  status: WaitlistStatus,
  createdAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  inviteExpiresAt: z.iso.datetime().nullable(),
  inviteUsedAt: z.iso.datetime().nullable(),
});
export type WaitlistEntry = z.output<typeof WaitlistEntry>;

export const WaitlistPage = z.object({ items: z.array(WaitlistEntry), nextCursor: z.string().nullable() });

export const WaitlistListQuery = z.object({ status: WaitlistStatus.optional() });

export const WaitlistEntryIdParam = z.object({ id: z.string().min(1).max(64) });
