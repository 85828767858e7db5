import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { approveWaitlistEntry, rejectWaitlistEntry } from './decide-waitlist-entry.use-case';
import { joinWaitlist } from './join-waitlist.use-case';
import { listWaitlist } from './list-waitlist.use-case';
import { waitlistRoutes } from './waitlist.routes';

export function waitlistFeature({
  config,
  waitlist,
  audit,
  clock,
  requireUser,
}: Pick<IdentityContext, 'config' | 'waitlist' | 'audit' | 'clock' | 'requireUser'>): Feature {
  const decisions = { waitlist, audit, clock };
  const routes = waitlistRoutes({
    join: joinWaitlist({ waitlist, audit, clock }),
    list: listWaitlist({ waitlist }),
    approve: approveWaitlistEntry({ ...decisions, invites: { ttlMs: config.INVITE_TTL, linkBase: config.APP_URL } }),
    reject: rejectWaitlistEntry(decisions),
    authenticate: requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
