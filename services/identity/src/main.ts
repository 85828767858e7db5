import { randomBytes } from 'node:crypto';
import { MaintenanceTasks, Topics } from '@solar/contracts';
import {
  backoffDelay,
  connectMongo,
  countOutcomes,
  createHttpApp,
  createSealer,
  EventConsumer,
  listen,
  loadConfig,
  OutboxRelay,
  OutboxWriter,
  runStopSteps,
  serveMetrics,
  serviceKit,
  serviceMain,
  trustProxySetting,
  type Env,
  type EventHandler,
  type Health,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { adminUsersRoutes } from './admin/admin-users.routes';
import { listUsers } from './admin/list-users.use-case';
import { auditEntryModel } from './audit/audit-entry.model';
import { AuditLog } from './audit/audit-log';
import { AuditLogQuery } from './audit/audit-log.query';
import { auditRoutes } from './audit/audit.routes';
import { listAuditLog } from './audit/list-audit-log.use-case';
import { authenticate } from './auth/authenticate';
import { IdentityConfig } from './config';
import { cancelDeletion } from './deletion/cancel-deletion.use-case';
import { deletedAccountModel } from './deletion/deleted-account.model';
import { DeletedAccountRepository } from './deletion/deleted-account.repository';
import { deletionRoutes } from './deletion/deletion.routes';
import { gracePeriodExpiredHandler } from './deletion/grace-period-expired.consumer';
import { cancelLinkOf } from './deletion/pending-deletion';
import { createPseudonymiser } from './deletion/pseudonym';
import { purgeAccount } from './deletion/purge-account.use-case';
import { requestDeletion } from './deletion/request-deletion.use-case';
import { signInActivity } from './deletion/sign-in-activity';
import { identityMetrics, loginOutcome } from './metrics/identity-metrics';
import { maintenanceDueHandler } from './maintenance/maintenance-due.consumer';
import { ProcessedEventsRepository } from './maintenance/processed-events.repository';
import { pruneAuditLog } from './maintenance/prune-audit-log.use-case';
import { purgeExpiredSessions } from './maintenance/purge-expired-sessions.use-case';
import { purgeExpiredTokens } from './maintenance/purge-expired-tokens.use-case';
import { purgeUnverifiedAccounts } from './maintenance/purge-unverified-accounts.use-case';
import { reviewInactiveAccounts } from './maintenance/review-inactive-accounts.use-case';
import { loginRoutes } from './login/login.routes';
import { login } from './login/login.use-case';
import { LoginThrottleRepository, throttleModel } from './login/login-throttle.repository';
import { getProfile } from './profile/get-profile.use-case';
import { profileRoutes } from './profile/profile.routes';
import { updateProfile } from './profile/update-profile.use-case';
import { changePassword } from './password/change-password.use-case';
import { passwordRoutes } from './password/password.routes';
import { requestPasswordReset } from './password/request-password-reset.use-case';
import { resetPassword } from './password/reset-password.use-case';
import { PasswordPolicy } from './registration/password-policy';
import { loadCommonPasswords } from './registration/password-policy-list';
import { register } from './registration/register.use-case';
import { registrationRoutes } from './registration/register.routes';
import { listSessions, logout, revokeSession } from './sessions/logout.use-case';
import { refresh } from './sessions/refresh.use-case';
import { sessionModel } from './sessions/session.model';
import { SessionRepository } from './sessions/session.repository';
import { SessionIssuer } from './sessions/session-issuer';
import { sessionsRoutes } from './sessions/sessions.routes';
import { AccessTokens } from './tokens/access-tokens';
import { jwksRoutes } from './tokens/jwks.routes';
import { resolveSigningKeys } from './tokens/resolve-signing-keys';
import { argon2idHasher } from './users/password-hasher';
import { userModel } from './users/user.model';
import { UserRepository } from './users/user.repository';
import { disableTwoFactor } from './two-factor/disable-two-factor.use-case';
import { enableTwoFactor } from './two-factor/enable-two-factor.use-case';
import { loginSecondFactor } from './two-factor/login-second-factor.use-case';
import { regenerateRecoveryCodes } from './two-factor/regenerate-recovery-codes.use-case';
import { TwoFactorRepository } from './two-factor/two-factor.repository';
import { twoFactorRoutes } from './two-factor/two-factor.routes';
import { verifyTwoFactor } from './two-factor/verify-two-factor.use-case';
import { verificationRoutes } from './verification/verification.routes';
import { verifyEmail } from './verification/verify-email.use-case';
import { sendVerificationRoutes } from './verification/send-verification.routes';
import { sendVerification } from './verification/send-verification.use-case';
import { approveWaitlistEntry, rejectWaitlistEntry } from './waitlist/decide-waitlist-entry.use-case';
import { joinWaitlist } from './waitlist/join-waitlist.use-case';
import { listWaitlist } from './waitlist/list-waitlist.use-case';
import { waitlistEntryModel } from './waitlist/waitlist-entry.model';
import { WaitlistRepository } from './waitlist/waitlist.repository';
import { waitlistRoutes } from './waitlist/waitlist.routes';

export function createIdentityService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(IdentityConfig, env);
  const { logger, health, metrics, kafka, publisher } = serviceKit({
    service: 'identity',
    config,
    publishes: [Topics.identityUser, Topics.identitySecurity, Topics.identityWaitlist, Topics.notificationEmailRequests],
    logger: overrides.logger,
  });
  const clock = overrides.clock ?? (() => new Date());
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const shutdown = new AbortController();
  const counters = identityMetrics(metrics);
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      const accessTokens = await AccessTokens.create(await resolveSigningKeys(config), {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ttlMs: config.ACCESS_TOKEN_TTL,
        clock,
      });
      const dummyHash = await argon2idHasher.hash(randomBytes(16).toString('hex'));
      const db = await connectMongo(config.MONGO_URL, { health });
      const models = {
        users: userModel(db),
        sessions: sessionModel(db),
        audit: auditEntryModel(db),
        throttles: throttleModel(db),
        waitlist: waitlistEntryModel(db),
        deletedAccounts: deletedAccountModel(db),
      };
      await Promise.all(Object.values(models).map((model) => model.init()));
      const relay = new OutboxRelay({
        collections: [
          models.users.collection,
          models.sessions.collection,
          models.audit.collection,
          models.waitlist.collection,
          models.deletedAccounts.collection,
        ],
        publisher,
        sealer,
        logger,
        clock,
        sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL,
        settleMs: config.OUTBOX_SETTLE,
        metrics,
      });
      const outbox = new OutboxWriter(relay, sealer, clock);
      const users = new UserRepository(models.users, outbox);
      const sessions = new SessionRepository(models.sessions, outbox);
      const audit = new AuditLog(models.audit, outbox);
      const twoFactor = new TwoFactorRepository(models.users, outbox);
      const waitlist = new WaitlistRepository(models.waitlist, outbox);
      const throttle = new LoginThrottleRepository(models.throttles, {
        maxFailures: config.LOGIN_MAX_FAILURES,
        windowMs: config.LOGIN_FAILURE_WINDOW,
        baseLockMs: config.LOGIN_LOCK_BASE,
        maxLockMs: config.LOGIN_LOCK_MAX,
      });
      const issuer = new SessionIssuer(sessions, accessTokens, config.REFRESH_TOKEN_TTL, clock, signInActivity({ users, audit }));
      const requireUser = authenticate(accessTokens, sessions);
      const policy = new PasswordPolicy(loadCommonPasswords());
      const cancelLink = cancelLinkOf(config.APP_URL);
      const purge = purgeAccount({
        users,
        sessions,
        throttle,
        audit,
        tombstones: new DeletedAccountRepository(models.deletedAccounts, outbox),
        flushAccountOutbox: (userId) => relay.flush(models.users.collection, userId),
        pseudonym: createPseudonymiser(config.DATA_ENCRYPTION_KEYS),
        clock,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
      const batch = { batchSize: config.MAINTENANCE_BATCH_SIZE, concurrency: MAINTENANCE_CONCURRENCY };
      const maintenance = {
        [MaintenanceTasks.purgeExpiredTokens]: purgeExpiredTokens({ users, clock, ...batch }),
        [MaintenanceTasks.purgeExpiredSessions]: purgeExpiredSessions({
          sessions,
          throttles: throttle,
          processedEvents: new ProcessedEventsRepository(db),
          clock,
          throttleIdleMs: config.LOGIN_FAILURE_WINDOW + config.LOGIN_LOCK_MAX,
          processedEventsRetentionMs: config.PROCESSED_EVENTS_RETENTION,
          ...batch,
        }),
        [MaintenanceTasks.purgeUnverifiedAccounts]: purgeUnverifiedAccounts({
          users,
          purge,
          clock,
          maxAgeMs: config.UNVERIFIED_ACCOUNT_MAX_AGE,
          ...batch,
        }),
        [MaintenanceTasks.reviewInactiveAccounts]: reviewInactiveAccounts({
          users,
          sessions,
          audit,
          clock,
          inactiveAfterMs: config.INACTIVE_ACCOUNT_AFTER,
          warningMs: config.INACTIVE_ACCOUNT_WARNING_PERIOD,
          graceMs: config.DELETION_GRACE_PERIOD,
          signInLink: new URL('/login', config.APP_URL).toString(),
          cancelLink,
          ...batch,
        }),
        [MaintenanceTasks.pruneAuditLog]: pruneAuditLog({ audit, clock, retentionMs: config.AUDIT_LOG_RETENTION, ...batch }),
      };
      const consumer = new EventConsumer({
        kafka,
        group: 'identity',
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        topics: [Topics.lifecycle],
        handler: lifecycleEvents(gracePeriodExpiredHandler(purge, logger), maintenanceDueHandler(maintenance, logger, shutdown.signal)),
        db,
        publisher,
        logger,
        metrics,
      });

      const app = createHttpApp({
        logger,
        health,
        metrics,
        bodyLimit: config.BODY_LIMIT,
        trustProxy: trustProxySetting(config.TRUST_PROXY),
        routes: (router) => {
          router.use(jwksRoutes(accessTokens));
          router.use(
            registrationRoutes(
              countOutcomes(
                register({
                  users,
                  hasher: argon2idHasher,
                  policy,
                  clock,
                  verification: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL },
                  adminEmails: config.ADMIN_EMAILS,
                  audit,
                  registrationMode: config.REGISTRATION_MODE,
                  invites: waitlist,
                }),
                counters.registrations,
                () => 'accepted',
              ),
            ),
          );
          router.use(verificationRoutes(verifyEmail({ users, audit, clock })));
          router.use(
            sendVerificationRoutes({
              send: sendVerification({
                users,
                audit,
                clock,
                verification: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL },
              }),
              authenticate: requireUser,
            }),
          );
          router.use(
            passwordRoutes({
              requestReset: requestPasswordReset({
                users,
                audit,
                clock,
                reset: { ttlMs: config.PASSWORD_RESET_TTL, linkBase: config.APP_URL },
              }),
              reset: resetPassword({ users, sessions, throttle, hasher: argon2idHasher, policy, audit, clock }),
              change: changePassword({ users, sessions, hasher: argon2idHasher, throttle, policy, audit, clock }),
              authenticate: requireUser,
            }),
          );
          router.use(
            loginRoutes({
              login: countOutcomes(
                login({
                  users,
                  throttle,
                  hasher: argon2idHasher,
                  dummyHash,
                  audit,
                  sessions: issuer,
                  secondFactor: twoFactor,
                  mfa: { ttlMs: config.MFA_TOKEN_TTL },
                  clock,
                }),
                counters.logins,
                loginOutcome,
              ),
              refresh: refresh({ sessions, users, issuer, audit, refreshTtlMs: config.REFRESH_TOKEN_TTL, clock }),
              logout: logout({ sessions, audit }),
              authenticate: requireUser,
            }),
          );
          router.use(
            sessionsRoutes({ list: listSessions({ sessions }), revoke: revokeSession({ sessions, audit }), authenticate: requireUser }),
          );
          router.use(profileRoutes({ get: getProfile({ users }), update: updateProfile({ users, audit }), authenticate: requireUser }));
          router.use(auditRoutes({ list: listAuditLog({ entries: new AuditLogQuery(models.audit) }), authenticate: requireUser }));
          router.use(adminUsersRoutes({ list: listUsers({ users }), authenticate: requireUser }));
          router.use(
            deletionRoutes({
              request: requestDeletion({
                users,
                hasher: argon2idHasher,
                throttle,
                audit,
                clock,
                graceMs: config.DELETION_GRACE_PERIOD,
                cancelLink,
              }),
              cancel: cancelDeletion({ users, audit, clock }),
              authenticate: requireUser,
            }),
          );
          const proofDeps = { twoFactor, users, sealer, hasher: argon2idHasher, throttle, audit, clock };
          router.use(
            twoFactorRoutes({
              enable: enableTwoFactor({ twoFactor, sealer, audit, issuer: config.TOTP_ISSUER }),
              verify: verifyTwoFactor({ twoFactor, sealer, throttle, audit, clock }),
              disable: disableTwoFactor(proofDeps),
              regenerate: regenerateRecoveryCodes(proofDeps),
              loginSecondFactor: countOutcomes(
                loginSecondFactor({ twoFactor, users, sealer, throttle, audit, sessions: issuer, clock }),
                counters.secondFactor,
                () => 'success',
              ),
              authenticate: requireUser,
            }),
          );
          const decisions = { waitlist, audit, clock };
          router.use(
            waitlistRoutes({
              join: joinWaitlist({ waitlist, audit, clock }),
              list: listWaitlist({ waitlist }),
              approve: approveWaitlistEntry({ ...decisions, invites: { ttlMs: config.INVITE_TTL, linkBase: config.APP_URL } }),
              reject: rejectWaitlistEntry(decisions),
              authenticate: requireUser,
            }),
          );
        },
      });
      // Kafka may be away at start; the outbox keeps every event until it is back.
      publisher.connect().catch(() => undefined);
      relay.start();
      const consuming = startWhenKafkaIsBack(consumer, health, logger);
      const server = await listen(app, config.PORT, config.HOST);
      const metricsServer = await serveMetrics(metrics, config, config.PORT);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        [
          'consumer',
          () => {
            shutdown.abort(new Error('identity is stopping; the maintenance task resumes on redelivery'));
            return consuming.stop();
          },
        ],
        ['outbox relay', () => relay.stop()],
        ['kafka producer', () => publisher.stop()],
        ['mongo', () => db.close()],
        ['metrics', () => metricsServer.close(1_000)],
      ];
      return { port: server.port, metricsPort: metricsServer.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

/** Lifecycle's topic carries both; each handler acts on its own event type and ignores the rest. */
function lifecycleEvents(...handlers: EventHandler[]): EventHandler {
  return async (event, context) => {
    for (const handler of handlers) await handler(event, context);
  };
}

/** Accounts a maintenance task works on at once: keeps the database busy without flooding its pool. */
const MAINTENANCE_CONCURRENCY = 8;

/**
 * Identity serves sign-ins while Kafka is away (the outbox keeps its events), so its consumer of
 * lifecycle events joins its group in the background, retrying with backoff, rather than holding up
 * the start. Its health is not critical, like the producer's: a late purge is caught up on return.
 */
function startWhenKafkaIsBack(consumer: EventConsumer, health: Health, logger: Logger): { stop(): Promise<void> } {
  let started = false;
  let stopping = false;
  let wake = () => {};
  health.register(
    'consumer:identity',
    async () => {
      if (!started) throw new Error('the lifecycle consumer has not joined its group yet');
    },
    { critical: false },
  );
  const running = (async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await consumer.start();
        started = true;
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'lifecycle consumer could not start; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffDelay({ attempts: Infinity, initialMs: 500, maxMs: 30_000 }, attempt));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake();
      await running;
      await consumer.stop();
    },
  };
}

export const main = serviceMain('identity', IdentityConfig, createIdentityService);

/** The password hasher at identity's argon2id cost, for the benchmark's bound of password sign-in (e2e/bench). */
export { argon2idHasher } from './users/password-hasher';
