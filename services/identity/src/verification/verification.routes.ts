import { Router } from 'express';
import { VerifyEmailBody, type EmailVerified } from '@solar/contracts';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { verifyEmail } from './verify-email.use-case';

export function verificationRoutes(verify: ReturnType<typeof verifyEmail>): Router {
  const router = Router();
  router.post('/auth/verify-email', noReferrer, async (req, res) => {
    const body = VerifyEmailBody.parse(req.body);
    const user = await verify({ token: body.token, context: contextOf(req) });
    res.json({ email: user.email, emailVerified: true } satisfies EmailVerified);
  });
  return router;
}
