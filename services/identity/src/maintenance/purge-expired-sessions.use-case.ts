import type { LoginThrottleRepository } from '../login/login-throttle.repository';
import type { OidcModelStore } from '../oidc/oidc-model.store';
import type { PasskeyChallengeRepository } from '../passkeys/passkey-challenge.repository';
import type { SessionRepository } from '../sessions/session.repository';
import { drain } from './batches';
import type { ProcessedEventsRepository } from './processed-events.repository';

export interface PurgeExpiredSessionsDeps {
  sessions: Pick<SessionRepository, 'endLapsed' | 'removeDead'>;
  throttles: Pick<LoginThrottleRepository, 'removeStale'>;
  processedEvents: Pick<ProcessedEventsRepository, 'removeBefore'>;
  oidcModels: Pick<OidcModelStore, 'removeExpired'>;
  passkeyChallenges: Pick<PasskeyChallengeRepository, 'removeExpired'>;
  clock: () => Date;
  batchSize: number;
  /** A throttle untouched this long has no window open and no lock running (failure window + longest lock). */
  throttleIdleMs: number;
  processedEventsRetentionMs: number;
}

/**
 * Ends sessions that ran out (SessionRevoked `expired`), then removes what no request can use any
 * more: revoked sessions whose events are out (a revoked family is never consulted again: reuse
 * detection looks at live families only), idle sign-in throttles, consumed event ids older than
 * any redelivery, the OpenID Connect provider's expired models and passkey challenges never answered
 * (the local Mongo-wire server has no TTL indexes to do it). A session ended by this run goes in a later one, after the relay
 * published its event.
 */
export function purgeExpiredSessions(deps: PurgeExpiredSessionsDeps) {
  return async (progress: () => Promise<void>): Promise<Record<string, number>> => {
    const now = deps.clock();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const expiredSessions = await drain(() => deps.sessions.endLapsed(now, deps.batchSize), progress);
    const sessions = await drain(() => deps.sessions.removeDead(now, deps.batchSize), progress);
    const throttles = await drain(() => deps.throttles.removeStale(ago(deps.throttleIdleMs), now, deps.batchSize), progress);
    const processedEvents = await drain(
      () => deps.processedEvents.removeBefore(ago(deps.processedEventsRetentionMs), deps.batchSize),
      progress,
    );
    const oidcModels = await drain(() => deps.oidcModels.removeExpired(now, deps.batchSize), progress);
    const passkeyChallenges = await drain(() => deps.passkeyChallenges.removeExpired(now, deps.batchSize), progress);
    return { expiredSessions, sessions, throttles, processedEvents, oidcModels, passkeyChallenges };
  };
}
