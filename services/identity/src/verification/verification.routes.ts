import { Router } from 'express';
import { z } from 'zod';
import { contextOf } from '../http/request-context';
import type { verifyEmail } from './verify-email.use-case';

export const VerifyEmailBody = z.object({ token: z.string().min(1).max(256) });

export function verificationRoutes(verify: ReturnType<typeof verifyEmail>): Router {
  const router = Router();
  router.post('/auth/verify-email', async (req, res) => {
    const body = VerifyEmailBody.parse(req.body);
    const user = await verify({ token: body.token, context: contextOf(req) });
    res.json({ email: user.email, emailVerified: true });
  });
  return router;
}
