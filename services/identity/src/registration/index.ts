import { countOutcomes, type Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { registrationRoutes } from './register.routes';
import { register } from './register.use-case';

export function registrationFeature(
  ctx: Pick<IdentityContext, 'config' | 'users' | 'hasher' | 'policy' | 'clock' | 'audit' | 'waitlist' | 'counters'>,
): Feature {
  const { config } = ctx;
  const registration = register({
    users: ctx.users,
    hasher: ctx.hasher,
    policy: ctx.policy,
    clock: ctx.clock,
    verification: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL },
    audit: ctx.audit,
    registrationMode: config.REGISTRATION_MODE,
    invites: ctx.waitlist,
  });
  return { routes: (app) => app.use(registrationRoutes(countOutcomes(registration, ctx.counters.registrations, () => 'accepted'))) };
}
