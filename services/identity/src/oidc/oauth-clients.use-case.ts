import { randomBytes } from 'node:crypto';
import { AppError } from '@solar/chassis';
import type { OAuthClient, OAuthClientMetadata, OAuthClientWithSecret } from '@solar/contracts';
import type { Provider } from 'oidc-provider';
import { hashClientSecret, newClientSecret, type OAuthClientRepository, type StoredClient } from './oauth-client.repository';
import type { OidcModelStore } from './oidc-model.store';

export interface OAuthClientDeps {
  provider: Pick<Provider, 'Client'>;
  clients: OAuthClientRepository;
  models: Pick<OidcModelStore, 'removeClient'>;
  clock: () => Date;
}

const NOT_FOUND = () => new AppError('not_found', 'No client has this id');

/** What the provider stores of the admin's metadata: the response types follow from the grant types. */
function storedMetadata(input: OAuthClientMetadata): StoredClient['metadata'] {
  const { first_party: _firstParty, scope, ...metadata } = input;
  return {
    ...metadata,
    response_types: metadata.grant_types.includes('authorization_code') ? ['code'] : [],
    ...(scope ? { scope } : {}),
  };
}

function toClientView(client: StoredClient): OAuthClient {
  const metadata = client.metadata as Omit<OAuthClientMetadata, 'first_party'> & { response_types?: string[] };
  const { response_types: _derived, ...shown } = metadata;
  return {
    ...shown,
    first_party: client.firstParty,
    client_id: client._id,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    updated_at: client.updatedAt.toISOString(),
  };
}

/** Client registration for admins (RFC 7591 metadata), checked by oidc-provider's own rules before it is kept. */
export function oauthClients(deps: OAuthClientDeps) {
  async function validate(clientId: string, metadata: StoredClient['metadata'], firstParty: boolean): Promise<void> {
    const confidential = metadata.token_endpoint_auth_method !== 'none';
    try {
      await deps.provider.Client.validate({
        ...metadata,
        client_id: clientId,
        ...(confidential ? { client_secret: hashClientSecret('validation only') } : {}),
        first_party: firstParty,
      });
    } catch (error) {
      const description = (error as { error_description?: unknown }).error_description;
      throw new AppError('invalid_client_metadata', typeof description === 'string' ? description : 'The client metadata is not valid');
    }
  }

  return {
    async register(input: OAuthClientMetadata): Promise<OAuthClientWithSecret> {
      const id = randomBytes(16).toString('base64url');
      const metadata = storedMetadata(input);
      await validate(id, metadata, input.first_party);
      const secret = metadata.token_endpoint_auth_method === 'none' ? null : newClientSecret();
      const now = deps.clock();
      const client = {
        _id: id,
        metadata,
        secretHash: secret && hashClientSecret(secret),
        firstParty: input.first_party,
        createdAt: now,
        updatedAt: now,
      };
      await deps.clients.insert(client);
      return { ...toClientView(client), ...(secret ? { client_secret: secret, client_secret_expires_at: 0 as const } : {}) };
    },

    async list(): Promise<OAuthClient[]> {
      return (await deps.clients.list()).map(toClientView);
    },

    async get(id: string): Promise<OAuthClient> {
      const client = await deps.clients.findById(id);
      if (!client) throw NOT_FOUND();
      return toClientView(client);
    },

    async update(id: string, input: OAuthClientMetadata): Promise<OAuthClient> {
      const existing = await deps.clients.findById(id);
      if (!existing) throw NOT_FOUND();
      const metadata = storedMetadata(input);
      await validate(id, metadata, input.first_party);
      const becomesPublic = metadata.token_endpoint_auth_method === 'none';
      if (!becomesPublic && !existing.secretHash) {
        throw new AppError('invalid_client_metadata', 'A public client cannot become confidential: register a new client');
      }
      const updated = await deps.clients.update(
        id,
        { metadata, firstParty: input.first_party, ...(becomesPublic ? { secretHash: null } : {}) },
        deps.clock(),
      );
      if (!updated) throw NOT_FOUND();
      return toClientView(updated);
    },

    async remove(id: string): Promise<void> {
      if (!(await deps.clients.remove(id))) throw NOT_FOUND();
      await deps.models.removeClient(id);
    },

    async rotateSecret(id: string): Promise<OAuthClientWithSecret> {
      const existing = await deps.clients.findById(id);
      if (!existing) throw NOT_FOUND();
      if (!existing.secretHash) throw new AppError('conflict', 'A public client has no secret to rotate');
      const secret = newClientSecret();
      const updated = await deps.clients.update(id, { secretHash: hashClientSecret(secret) }, deps.clock());
      if (!updated) throw NOT_FOUND();
      return { ...toClientView(updated), client_secret: secret, client_secret_expires_at: 0 };
    },
  };
}
