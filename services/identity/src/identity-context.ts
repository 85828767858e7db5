import type { RequestHandler } from 'express';
import type { Provider } from 'oidc-provider';
import type { Logger, Sealer } from '@solar/chassis';
import type { AuditLog } from './audit/audit-log';
import type { AuditLogQuery } from './audit/audit-log.query';
import type { IdentityConfig } from './config';
import type { DataExportRepository } from './data-export/data-export.repository';
import type { DeletedAccountRepository } from './deletion/deleted-account.repository';
import type { LoginThrottleRepository } from './login/login-throttle.repository';
import type { ProcessedEventsRepository } from './maintenance/processed-events.repository';
import type { identityMetrics } from './metrics/identity-metrics';
import type { OAuthClientRepository } from './oidc/oauth-client.repository';
import type { OAuthConsentRepository } from './oidc/oauth-consent.repository';
import type { OidcModelStore } from './oidc/oidc-model.store';
import type { ProviderTokenLookup } from './oidc/provider-token';
import type { PasskeyChallengeRepository } from './passkeys/passkey-challenge.repository';
import type { PasskeyRepository } from './passkeys/passkey.repository';
import type { PasswordPolicy } from './registration/password-policy';
import type { SessionIssuer } from './sessions/session-issuer';
import type { SessionRepository } from './sessions/session.repository';
import type { AccessTokens } from './tokens/access-tokens';
import type { SigningJwk } from './tokens/signing-keys';
import type { TwoFactorRepository } from './two-factor/two-factor.repository';
import type { PasswordHasher } from './users/password-hasher';
import type { UserRepository } from './users/user.repository';
import type { WaitlistRepository } from './waitlist/waitlist.repository';

/**
 * What identity's composition root connects once and its features draw on: each feature's `index.ts`
 * takes the part of it that it needs.
 */
export interface IdentityContext {
  config: IdentityConfig;
  clock: () => Date;
  logger: Logger;
  sealer: Sealer;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  counters: ReturnType<typeof identityMetrics>;
  accessTokens: AccessTokens;
  /** The JWK set identity signs with (newest first), for its access tokens and the OIDC provider's ID tokens. */
  signingKeys: SigningJwk[];
  /** oidc-provider's sessions, interactions, grants, codes and tokens. */
  models: OidcModelStore;
  clients: OAuthClientRepository;
  consents: OAuthConsentRepository;
  /** The OpenID Connect provider (docs/oidc.md); its endpoints are mounted by the oidc feature. */
  provider: Provider;
  /** Whom a live access token of the provider speaks for; `requireUser` and the gateway's introspection ask it. */
  providerTokens: ProviderTokenLookup;
  /** Checks the bearer token and that its session is live; mounted before every signed-in route. */
  requireUser: RequestHandler;
  issuer: SessionIssuer;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditLog;
  auditQuery: AuditLogQuery;
  twoFactor: TwoFactorRepository;
  passkeys: PasskeyRepository;
  passkeyChallenges: PasskeyChallengeRepository;
  waitlist: WaitlistRepository;
  throttle: LoginThrottleRepository;
  tombstones: DeletedAccountRepository;
  processedEvents: ProcessedEventsRepository;
  dataExports: DataExportRepository;
  /** Publishes one account's outbox now and waits: a purge erases nothing its events still need. */
  flushAccountOutbox: (userId: string) => Promise<void>;
}
