import { Router } from 'express';
import {
  AdminWaitlistQuery,
  WaitlistEntryIdParam,
  WaitlistJoinBody,
  type Message,
  type WaitlistEntry as WaitlistEntryBody,
  type WaitlistPage,
} from '@solar/contracts';
import { authOf, requireRole, type authenticate } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import { requestLocale } from '../http/request-locale';
import type { approveWaitlistEntry, rejectWaitlistEntry } from './decide-waitlist-entry.use-case';
import type { joinWaitlist } from './join-waitlist.use-case';
import type { listWaitlist } from './list-waitlist.use-case';
import type { WaitlistEntry } from './waitlist.repository';

/** One body for new and already listed addresses. */
const WAITLIST_JOINED = {
  message: 'Thank you: if the address was not on the waitlist yet, it is now, and we sent it a confirmation.',
} as const satisfies Message;

const toBody = (entry: WaitlistEntry): WaitlistEntryBody => ({
  id: entry.id,
  email: entry.email,
  name: entry.name,
  status: entry.status,
  createdAt: entry.createdAt.toISOString(),
  decidedAt: entry.decidedAt?.toISOString() ?? null,
  inviteExpiresAt: entry.invite?.expiresAt.toISOString() ?? null,
  inviteUsedAt: entry.invite?.usedAt?.toISOString() ?? null,
});

export function waitlistRoutes(deps: {
  join: ReturnType<typeof joinWaitlist>;
  list: ReturnType<typeof listWaitlist>;
  approve: ReturnType<typeof approveWaitlistEntry>;
  reject: ReturnType<typeof rejectWaitlistEntry>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/waitlist/join', async (req, res) => {
    const body = WaitlistJoinBody.parse(req.body);
    await deps.join({ email: body.email, name: body.name, locale: requestLocale(req, body.locale), context: contextOf(req) });
    res.status(202).json(WAITLIST_JOINED);
  });
  router.get('/admin/waitlist', deps.authenticate, requireRole('admin'), async (req, res) => {
    const page = await deps.list(AdminWaitlistQuery.parse(req.query));
    res.json({ items: page.items.map(toBody), nextCursor: page.nextCursor } satisfies WaitlistPage);
  });
  for (const [action, decide] of [
    ['approve', deps.approve],
    ['reject', deps.reject],
  ] as const) {
    router.post(`/admin/waitlist/:id/${action}`, deps.authenticate, requireRole('admin'), async (req, res) => {
      const { id } = WaitlistEntryIdParam.parse(req.params);
      res.json(toBody(await decide({ entryId: id, adminId: authOf(req).userId, context: contextOf(req) })));
    });
  }
  return router;
}
