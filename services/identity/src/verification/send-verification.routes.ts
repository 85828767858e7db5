import { Router } from 'express';
import type { Message } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { sendVerification } from './send-verification.use-case';

export function sendVerificationRoutes(deps: {
  send: ReturnType<typeof sendVerification>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/send-verification', deps.authenticate, async (req, res) => {
    await deps.send({ userId: authOf(req).userId, context: contextOf(req) });
    res.status(202).json({ message: 'Check your inbox: we sent a new link to confirm your email address.' } satisfies Message);
  });
  return router;
}
