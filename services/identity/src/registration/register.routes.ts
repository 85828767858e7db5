import { Router } from 'express';
import { RegisterBody, type Registered } from '@solar/contracts';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import { requestLocale } from '../http/request-locale';
import type { register } from './register.use-case';

/** The same 201 and body whether the address was new or taken: the owner learns the rest by email. */
const REGISTERED = {
  status: 'verification_pending',
  message: 'Check your inbox: we sent a link to confirm your email address.',
} as const satisfies Registered;

export function registrationRoutes(registerUser: ReturnType<typeof register>): Router {
  const router = Router();
  router.post('/auth/register', noReferrer, async (req, res) => {
    const body = RegisterBody.parse(req.body);
    await registerUser({ ...body, locale: requestLocale(req, body.locale), context: contextOf(req) });
    res.status(201).json(REGISTERED);
  });
  return router;
}
