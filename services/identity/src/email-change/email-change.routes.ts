import { Router } from 'express';
import { ConfirmEmailChangeBody, RequestEmailChangeBody, UndoEmailChangeBody, type Message } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { confirmEmailChange } from './confirm-email-change.use-case';
import type { requestEmailChange } from './request-email-change.use-case';
import type { undoEmailChange } from './undo-email-change.use-case';

/** One body whether the new address is free or taken. */
const CHANGE_REQUESTED = {
  message: 'We sent a link to the new address. The change takes effect once it is opened.',
} as const satisfies Message;

export function emailChangeRoutes(deps: {
  request: ReturnType<typeof requestEmailChange>;
  confirm: ReturnType<typeof confirmEmailChange>;
  undo: ReturnType<typeof undoEmailChange>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/request-email-change', deps.authenticate, async (req, res) => {
    const body = RequestEmailChangeBody.parse(req.body);
    await deps.request({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.status(202).json(CHANGE_REQUESTED);
  });
  router.post('/auth/confirm-email-change', noReferrer, async (req, res) => {
    const body = ConfirmEmailChangeBody.parse(req.body);
    await deps.confirm({ token: body.token, context: contextOf(req) });
    res.json({ message: 'Your email address has been changed.' } satisfies Message);
  });
  router.post('/auth/undo-email-change', noReferrer, async (req, res) => {
    const body = UndoEmailChangeBody.parse(req.body);
    await deps.undo({ token: body.token, context: contextOf(req) });
    res.json({
      message: 'Your email address is restored and every session has ended. Choose a new password with the link we sent to it.',
    } satisfies Message);
  });
  return router;
}
