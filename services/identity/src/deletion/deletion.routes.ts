import { Router } from 'express';
import { RequestDeletionBody, type CancelDeletionResponse, type RequestDeletionResponse } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { cancelDeletion } from './cancel-deletion.use-case';
import { pendingDeletionView } from './pending-deletion';
import type { requestDeletion } from './request-deletion.use-case';

export function deletionRoutes(deps: {
  request: ReturnType<typeof requestDeletion>;
  cancel: ReturnType<typeof cancelDeletion>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/request-deletion', deps.authenticate, async (req, res) => {
    const body = RequestDeletionBody.parse(req.body);
    const { deletion, created } = await deps.request({ userId: authOf(req).userId, password: body.password, context: contextOf(req) });
    const answer: RequestDeletionResponse = {
      deletion: pendingDeletionView(deletion),
      message: created
        ? 'Your account will be deleted at the end of the grace period. You can cancel until then.'
        : 'A deletion of your account is already pending; nothing changed.',
    };
    res.status(created ? 202 : 200).json(answer);
  });
  router.post('/auth/cancel-deletion', noReferrer, deps.authenticate, async (req, res) => {
    await deps.cancel({ userId: authOf(req).userId, context: contextOf(req) });
    const answer: CancelDeletionResponse = { deletion: null, message: 'The deletion is cancelled; your account stays as it is.' };
    res.json(answer);
  });
  return router;
}
