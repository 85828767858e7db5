import type { Express } from 'express';
import { z } from 'zod';
import { WaitlistEntry, WaitlistEntryIdParam, WaitlistPage } from '@solar/contracts';
import { problemSentence } from '../api/problem-messages';
import { pageOf } from '../http/page-context';
import { adminToken, afterRefusal, problemParam, renderAdminProblem } from './admin-access';
import { renderWaitlist } from './waitlist.page';

const Query = z.object({ cursor: z.string().max(512).optional().catch(undefined) });
const DECISIONS = { approve: 'approved', reject: 'rejected' } as const;

/** The waitlist's pending entries, in the API's order, each with approve and reject. */
export function adminWaitlistRoutes(app: Express): void {
  app.get('/admin/waitlist', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const { cursor } = Query.parse(req.query);
    const params = new URLSearchParams({ status: 'pending', limit: '50', ...(cursor ? { cursor } : {}) });
    const entries = await page.api({ method: 'GET', path: `/admin/waitlist?${params.toString()}`, accessToken }, WaitlistPage);
    if (!entries.ok) return renderAdminProblem(page, entries.problem, '/admin/waitlist');
    const problem = problemParam(req.query.problem);
    renderWaitlist(page, {
      entries: entries.body,
      info: req.query.done === 'approved' || req.query.done === 'rejected' ? page.t(`admin.done.${req.query.done}`) : undefined,
      error: problem ? problemSentence(problem, page.t) : undefined,
    });
  });

  app.post('/admin/waitlist/:id/:decision', async (req, _res, next) => {
    const page = pageOf(req);
    const decision = req.params.decision === 'approve' || req.params.decision === 'reject' ? req.params.decision : null;
    const id = WaitlistEntryIdParam.safeParse({ id: req.params.id });
    if (!decision || !id.success) return void next();
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const result = await page.api(
      { method: 'POST', path: `/admin/waitlist/${encodeURIComponent(id.data.id)}/${decision}`, accessToken },
      WaitlistEntry,
    );
    if (result.ok) return page.redirect(`/admin/waitlist?done=${DECISIONS[decision]}`);
    // Decided already (409), or gone: the queue shows why, as it is now.
    await afterRefusal(page, result.problem, '/admin/waitlist');
  });
}
