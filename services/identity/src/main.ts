import { Topics } from '@solar/contracts';
import {
  brandFromConfig,
  createSealer,
  sealEmailRequest,
  loadConfig,
  serviceMain,
  serviceRuntime,
  trustProxySetting,
  type Env,
  type Logger,
  type MongoRuntime,
  type Service,
} from '@solar/chassis';
import { adminFeature } from './admin';
import { adminActionsFeature } from './admin-actions';
import { auditFeature } from './audit';
import { auditEntryModel } from './audit/audit-entry.model';
import { AuditLog } from './audit/audit-log';
import { AuditLogQuery } from './audit/audit-log.query';
import { authenticate } from './auth/authenticate';
import { IdentityConfig, RETIRED_IDENTITY_VARIABLES } from './config';
import { dataExportFeature } from './data-export';
import { dataExportModel, dataExportSlotModel } from './data-export/data-export.model';
import { DataExportRepository } from './data-export/data-export.repository';
import { deletionFeature } from './deletion';
import { deletedAccountModel } from './deletion/deleted-account.model';
import { DeletedAccountRepository } from './deletion/deleted-account.repository';
import { signInActivity } from './deletion/sign-in-activity';
import type { IdentityContext } from './identity-context';
import { loginFeature } from './login';
import { configuredLoginThrottle, throttleModel } from './login/login-throttle.repository';
import { maintenanceFeature } from './maintenance';
import { ProcessedEventsRepository } from './maintenance/processed-events.repository';
import { identityMetrics } from './metrics/identity-metrics';
import { oidcFeature } from './oidc';
import { OAuthClientRepository } from './oidc/oauth-client.repository';
import { OAuthConsentRepository } from './oidc/oauth-consent.repository';
import { OidcModelStore } from './oidc/oidc-model.store';
import { emailChangeFeature } from './email-change';
import { createOidcProvider } from './oidc/oidc-provider';
import { providerTokenLookup } from './oidc/provider-token';
import { passkeysFeature } from './passkeys';
import { passkeyChallengeModel, passkeyModel } from './passkeys/passkey.model';
import { PasskeyChallengeRepository } from './passkeys/passkey-challenge.repository';
import { PasskeyRepository } from './passkeys/passkey.repository';
import { passwordFeature } from './password';
import { profileFeature } from './profile';
import { registrationFeature } from './registration';
import { PasswordPolicy } from './registration/password-policy';
import { loadCommonPasswords } from './registration/password-policy-list';
import { pwnedPasswords } from './registration/pwned-passwords';
import { sessionsFeature } from './sessions';
import { sessionModel } from './sessions/session.model';
import { SessionRepository } from './sessions/session.repository';
import { firstRefreshTtl, SessionIssuer } from './sessions/session-issuer';
import { jwksFeature } from './tokens';
import { AccessTokens } from './tokens/access-tokens';
import { resolveSigningKeys } from './tokens/resolve-signing-keys';
import { twoFactorFeature } from './two-factor';
import { TwoFactorRepository } from './two-factor/two-factor.repository';
import { argon2idHasher } from './users/password-hasher';
import { userModel } from './users/user.model';
import { UserRepository } from './users/user.repository';
import { userStateRenderers } from './user-state/user-state';
import { verificationFeature } from './verification';
import { waitlistEntryModel } from './waitlist/waitlist-entry.model';
import { WaitlistRepository } from './waitlist/waitlist.repository';
import { waitlistFeature } from './waitlist';

export function createIdentityService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(IdentityConfig, env, RETIRED_IDENTITY_VARIABLES);
  return serviceRuntime({
    service: 'identity',
    config,
    listen: { port: config.PORT, host: config.HOST },
    publishes: [
      Topics.identityUser,
      Topics.identityUserState,
      Topics.identitySecurity,
      Topics.identityWaitlist,
      Topics.identityDataExportParts,
      Topics.notificationEmailRequests,
    ],
    mongoUrl: config.MONGO_URL,
    logger: overrides.logger,
    clock: overrides.clock,
    async compose(runtime) {
      const ctx = await connectStores(runtime);
      const deletion = deletionFeature(ctx);
      const oidc = oidcFeature(ctx);
      const dataExport = dataExportFeature({ ...ctx, publish: (events) => runtime.publisher.publish(events) });
      return {
        http: { bodyLimit: config.BODY_LIMIT, trustProxy: trustProxySetting(config.TRUST_PROXY), early: [oidc.early] },
        features: [
          oidc.feature,
          jwksFeature(ctx),
          registrationFeature(ctx),
          verificationFeature(ctx),
          passwordFeature(ctx),
          emailChangeFeature(ctx),
          await loginFeature(ctx),
          sessionsFeature(ctx),
          profileFeature(ctx),
          auditFeature(ctx),
          adminFeature(ctx),
          adminActionsFeature({ ...ctx, purge: deletion.purge }),
          deletion,
          twoFactorFeature(ctx),
          passkeysFeature(ctx),
          waitlistFeature(ctx),
          dataExport,
          maintenanceFeature({ ...ctx, purge: deletion.purge, stopping: runtime.stopping, tasks: dataExport.tasks }),
        ],
        // Identity serves sign-ins while Kafka is away; a purge or maintenance task that waits is caught up on return.
        // Its own user topic for DataExportRequested: identity answers with its part like every participant.
        // Notification's deliveries for EmailSuppressionRemoved, an admin action the account's audit log records.
        consumer: {
          group: 'identity',
          topics: [Topics.lifecycle, Topics.identityUser, Topics.identityDataExportParts, Topics.notificationDeliveries],
          critical: false,
        },
      };
    },
  });
}

/** Identity's models, its outbox, the repositories over them, and what signs and checks its tokens. */
async function connectStores(runtime: MongoRuntime<IdentityConfig>): Promise<IdentityContext> {
  const { db, config, clock, logger, metrics } = runtime;
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const signingKeys = await resolveSigningKeys(config);
  const accessTokens = await AccessTokens.create(signingKeys, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlMs: config.ACCESS_TOKEN_TTL,
    clock,
  });
  const models = {
    users: userModel(db),
    sessions: sessionModel(db),
    audit: auditEntryModel(db),
    throttles: throttleModel(db),
    waitlist: waitlistEntryModel(db),
    deletedAccounts: deletedAccountModel(db),
    dataExports: dataExportModel(db),
  };
  const passkeyModels = { passkeys: passkeyModel(db), challenges: passkeyChallengeModel(db) };
  const exportSlots = dataExportSlotModel(db);
  const oidcModels = new OidcModelStore(db, clock);
  const consents = new OAuthConsentRepository(db);
  await Promise.all([
    ...Object.values(models).map((model) => model.init()),
    oidcModels.init(),
    consents.init(),
    passkeyModels.passkeys.init(),
    passkeyModels.challenges.init(),
    exportSlots.init(),
  ]);
  const { throttles, ...withOutbox } = models;
  const outbox = runtime.outbox(
    Object.values(withOutbox).map((model) => model.collection),
    sealer,
    // Every email request's links leave sealed for notification alone (docs/security.md, finding 3).
    { prepare: sealEmailRequest(createSealer(config.EMAIL_LINK_KEYS)), renderers: userStateRenderers },
  );
  const users = new UserRepository(models.users, outbox);
  const sessions = new SessionRepository(models.sessions, outbox, (userId, sessionId) => oidcModels.endSession(userId, sessionId));
  const audit = new AuditLog(models.audit, outbox);
  const throttle = configuredLoginThrottle(throttles, config);
  const counters = identityMetrics(metrics);
  const clients = new OAuthClientRepository(db);
  const provider = createOidcProvider({
    config,
    brand: brandFromConfig(config),
    signingKeys,
    users,
    models: oidcModels,
    clients,
    consents,
  });
  const providerTokens = providerTokenLookup({ provider, users, models: oidcModels, sessions });
  return {
    config,
    clock,
    logger,
    sealer,
    hasher: argon2idHasher,
    policy: new PasswordPolicy(loadCommonPasswords(), breachLookup(config, { counter: counters.breachLookups, logger })),
    counters,
    accessTokens,
    signingKeys,
    models: oidcModels,
    clients,
    consents,
    provider,
    providerTokens,
    requireUser: authenticate(accessTokens, sessions, providerTokens),
    issuer: new SessionIssuer(sessions, accessTokens, firstRefreshTtl(config), clock, signInActivity({ users, audit })),
    users,
    sessions,
    audit,
    auditQuery: new AuditLogQuery(models.audit),
    twoFactor: new TwoFactorRepository(models.users, outbox),
    passkeys: new PasskeyRepository(passkeyModels.passkeys),
    passkeyChallenges: new PasskeyChallengeRepository(passkeyModels.challenges),
    waitlist: new WaitlistRepository(models.waitlist, outbox),
    throttle,
    tombstones: new DeletedAccountRepository(models.deletedAccounts, outbox),
    processedEvents: new ProcessedEventsRepository(db),
    dataExports: new DataExportRepository(models.dataExports, outbox, exportSlots),
    flushAccountOutbox: (userId) => outbox.flush(models.users.collection, userId),
  };
}

function breachLookup(config: IdentityConfig, observe: Parameters<typeof pwnedPasswords>[1]) {
  if (!config.PWNED_PASSWORDS_URL) return null;
  return pwnedPasswords(
    { url: config.PWNED_PASSWORDS_URL, timeoutMs: config.PWNED_PASSWORDS_TIMEOUT, minCount: config.PWNED_PASSWORDS_MIN_COUNT },
    observe,
  );
}

export const main = serviceMain('identity', IdentityConfig, createIdentityService);

/** The password hasher at identity's argon2id cost, for the benchmark's bound of password sign-in (e2e/bench). */
export { argon2idHasher } from './users/password-hasher';
