import { AppError } from '@solar/chassis';
import type { ProviderTokenIntrospection } from '@solar/contracts';
import type { Provider } from 'oidc-provider';
import type { UserRepository } from '../users/user.repository';
import type { OidcModelStore } from './oidc-model.store';

/** A live provider access token: whom it speaks for (the identity session, for an account's token) and with which scopes. */
interface ProviderTokenCaller extends ProviderTokenIntrospection {
  sessionId: string | null;
}

export type ProviderTokenLookup = (token: string) => Promise<ProviderTokenCaller>;

const refused = () => new AppError('unauthorized', 'The access token is missing, invalid or expired');

/**
 * What the provider's userinfo endpoint checks before it answers (oidc-provider's
 * `validateAccessToken`, `loadAccessTokenClient/Grant/Account`), for the tokens the gateway lets
 * call /v1: stored, not expired (by identity's clock and the system's), not bound to a key or
 * certificate we cannot check here, its client still registered, and, for an account's token, its
 * grant still standing, the account not being purged and the identity session that signed it in
 * still live (one notion of a session: a logout ends the app's access here at once, even before the
 * session's own clean-up removed the token).
 */
export function providerTokenLookup(deps: {
  provider: Provider;
  users: Pick<UserRepository, 'findById'>;
  models: Pick<OidcModelStore, 'linkOf'>;
  sessions: { isActive(sessionId: string, userId: string): Promise<boolean> };
}): ProviderTokenLookup {
  const { provider } = deps;
  return async (value) => {
    const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
    if (!token || token.isExpired || token.jkt || token['x5t#S256'] || token.aud !== undefined) throw refused();
    const { clientId } = token;
    if (!clientId || !(await provider.Client.find(clientId))) throw refused();
    const scopes = [...token.scopes].filter(Boolean);
    const accountId = 'accountId' in token ? token.accountId : undefined;
    if (!accountId) return { userId: null, clientId, scopes, emailVerified: false, sessionId: null };
    const grant = 'grantId' in token && token.grantId ? await provider.Grant.find(token.grantId) : undefined;
    if (!grant || grant.clientId !== clientId || grant.accountId !== accountId) throw refused();
    const link = 'sessionUid' in token && token.sessionUid ? await deps.models.linkOf(token.sessionUid) : undefined;
    if (!link || link.userId !== accountId || !(await deps.sessions.isActive(link.sessionId, accountId))) throw refused();
    const user = await deps.users.findById(accountId);
    if (!user || user.deletion?.purgeStartedAt) throw refused();
    return { userId: accountId, clientId, scopes, emailVerified: user.emailVerifiedAt !== null, sessionId: link.sessionId };
  };
}
