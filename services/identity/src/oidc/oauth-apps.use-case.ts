import { AppError } from '@solar/chassis';
import type { AppAccessList } from '@solar/contracts';
import type { OAuthClientRepository } from './oauth-client.repository';
import type { OAuthConsentRepository } from './oauth-consent.repository';
import type { OidcModelStore } from './oidc-model.store';

/** "Apps with access": the consents an account gave third-party apps, and taking one back. */
export function appAccess(deps: {
  consents: Pick<OAuthConsentRepository, 'listOf' | 'remove'>;
  clients: Pick<OAuthClientRepository, 'findById'>;
  models: Pick<OidcModelStore, 'removeGrantsOf'>;
}) {
  return {
    async list(userId: string): Promise<AppAccessList> {
      const consents = await deps.consents.listOf(userId);
      const apps = await Promise.all(
        consents.map(async (consent) => {
          const name = (await deps.clients.findById(consent.clientId))?.metadata.client_name;
          return {
            clientId: consent.clientId,
            // A deleted client's consent is shown under its id until it is taken back.
            name: typeof name === 'string' ? name : consent.clientId,
            scopes: consent.scopes,
            grantedAt: consent.grantedAt.toISOString(),
          };
        }),
      );
      return { apps };
    },

    /** The consent goes, and with it every grant and token the app holds for this account. */
    async revoke(userId: string, clientId: string): Promise<void> {
      if (!(await deps.consents.remove(userId, clientId))) throw new AppError('not_found', 'This app has no access to the account');
      await deps.models.removeGrantsOf(userId, clientId);
    },
  };
}
