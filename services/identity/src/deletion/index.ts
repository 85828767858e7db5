import { setTimeout as sleep } from 'node:timers/promises';
import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { cancelDeletion } from './cancel-deletion.use-case';
import { deletionRoutes } from './deletion.routes';
import { gracePeriodExpiredHandler } from './grace-period-expired.consumer';
import { cancelLinkOf } from './pending-deletion';
import { createPseudonymiser } from './pseudonym';
import { purgeAccount } from './purge-account.use-case';
import { requestDeletion } from './request-deletion.use-case';

export type DeletionFeature = Feature & {
  /** Erases an account; maintenance purges unverified accounts with it too. */
  purge: ReturnType<typeof purgeAccount>;
};

/** Deletion requests and their cancellation, and the purge lifecycle asks for when a grace period ends. */
export function deletionFeature(
  ctx: Pick<
    IdentityContext,
    | 'config'
    | 'users'
    | 'sessions'
    | 'passkeys'
    | 'dataExports'
    | 'throttle'
    | 'audit'
    | 'tombstones'
    | 'hasher'
    | 'clock'
    | 'logger'
    | 'requireUser'
    | 'flushAccountOutbox'
    | 'models'
    | 'consents'
  >,
): DeletionFeature {
  const { config, users, audit, clock } = ctx;
  const purge = purgeAccount({
    users,
    sessions: ctx.sessions,
    passkeys: ctx.passkeys,
    dataExports: ctx.dataExports,
    oidc: {
      removeAccount: async (userId) => {
        await Promise.all([ctx.models.removeAccount(userId), ctx.consents.removeAllOf(userId)]);
      },
    },
    throttle: ctx.throttle,
    audit,
    tombstones: ctx.tombstones,
    flushAccountOutbox: ctx.flushAccountOutbox,
    pseudonym: createPseudonymiser(config.DATA_ENCRYPTION_KEYS),
    clock,
    sleep,
  });
  const routes = deletionRoutes({
    request: requestDeletion({
      users,
      hasher: ctx.hasher,
      throttle: ctx.throttle,
      audit,
      clock,
      graceMs: config.DELETION_GRACE_PERIOD,
      cancelLink: cancelLinkOf(config.APP_URL),
    }),
    cancel: cancelDeletion({ users, audit, clock }),
    authenticate: ctx.requireUser,
  });
  return { purge, routes: (app) => app.use(routes), handlers: [gracePeriodExpiredHandler(purge, ctx.logger)] };
}
