import { randomUUID } from 'node:crypto';
import { createEvent, type Locale } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { WaitlistRepository } from './waitlist.repository';

export interface JoinWaitlistDeps {
  waitlist: Pick<WaitlistRepository, 'join'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

/**
 * Puts an address on the waitlist. A known address takes the same path (the insert is attempted and
 * refused by the unique index), so neither the answer nor the work done tells whether it was listed.
 */
export function joinWaitlist(deps: JoinWaitlistDeps) {
  return async (input: { email: string; name?: string | undefined; locale: Locale; context: RequestContext }): Promise<void> => {
    const now = deps.clock();
    const id = randomUUID();
    const outcome = await deps.waitlist.join({ id, email: input.email, name: input.name ?? null, locale: input.locale }, [
      createEvent('WaitlistJoined', { source: '/identity', subject: id, time: now, data: { waitlistEntryId: id, email: input.email } }),
      createEvent('EmailRequested', {
        source: '/identity',
        subject: id,
        time: now,
        data: { template: 'waitlist-joined', to: input.email, locale: input.locale, variables: {} },
      }),
    ]);
    await deps.audit.record({
      userId: null,
      action: 'waitlist_joined',
      outcome: outcome === 'created' ? 'success' : 'failure',
      context: input.context,
      details: { email: input.email, ...(outcome === 'created' ? { waitlistEntryId: id } : { reason: 'already_listed' }) },
    });
  };
}
