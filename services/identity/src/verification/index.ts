import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { sendVerificationRoutes } from './send-verification.routes';
import { sendVerification } from './send-verification.use-case';
import { verificationRoutes } from './verification.routes';
import { verifyEmail } from './verify-email.use-case';

export function verificationFeature({
  config,
  users,
  audit,
  clock,
  requireUser,
}: Pick<IdentityContext, 'config' | 'users' | 'audit' | 'clock' | 'requireUser'>): Feature {
  const send = sendVerification({ users, audit, clock, verification: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL } });
  return {
    routes: (app) => {
      app.use(verificationRoutes(verifyEmail({ users, audit, clock, adminEmails: config.ADMIN_EMAILS })));
      app.use(sendVerificationRoutes({ send, authenticate: requireUser }));
    },
  };
}
