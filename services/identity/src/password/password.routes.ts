import { Router } from 'express';
import { ChangePasswordBody, RequestPasswordResetBody, ResetPasswordBody, type Message } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { changePassword } from './change-password.use-case';
import type { requestPasswordReset } from './request-password-reset.use-case';
import type { resetPassword } from './reset-password.use-case';

/** One body for known and unknown addresses alike. */
const RESET_REQUESTED = {
  message: 'If the address has an account, we sent it a link to reset the password.',
} as const satisfies Message;

export function passwordRoutes(deps: {
  requestReset: ReturnType<typeof requestPasswordReset>;
  reset: ReturnType<typeof resetPassword>;
  change: ReturnType<typeof changePassword>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/request-password-reset', async (req, res) => {
    const body = RequestPasswordResetBody.parse(req.body);
    await deps.requestReset({ email: body.email, context: contextOf(req) });
    res.status(202).json(RESET_REQUESTED);
  });
  router.post('/auth/reset-password', noReferrer, async (req, res) => {
    const body = ResetPasswordBody.parse(req.body);
    await deps.reset({ ...body, context: contextOf(req) });
    res.json({ message: 'Your password has been reset. Sign in with the new one.' } satisfies Message);
  });
  router.post('/auth/change-password', deps.authenticate, async (req, res) => {
    const body = ChangePasswordBody.parse(req.body);
    const auth = authOf(req);
    await deps.change({ ...body, userId: auth.userId, sessionId: auth.sessionId, context: contextOf(req) });
    res.json({ message: 'Your password has been changed. Your other sessions have been signed out.' } satisfies Message);
  });
  return router;
}
