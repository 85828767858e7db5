import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

export const OAuthClientParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

/**
 * The client metadata of RFC 7591 §2 that this provider takes, and `first_party` (ours: the app skips
 * the consent page). Redirect URIs are matched exactly, character for character.
 */
export const OAuthClientMetadata = z.object({
  client_name: z.string().trim().min(1).max(100),
  application_type: z.enum(['web', 'native']).default('web').describe('`native` for mobile and desktop apps (custom schemes, loopback).'),
  redirect_uris: z.array(z.url().max(2000)).max(20).default([]),
  post_logout_redirect_uris: z.array(z.url().max(2000)).max(20).default([]),
  grant_types: z
    .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
    .min(1)
    .default(['authorization_code', 'refresh_token']),
  token_endpoint_auth_method: z
    .enum(['client_secret_basic', 'client_secret_post', 'none'])
    .default('client_secret_basic')
    .describe('`none` makes a public client (an SPA or a mobile app): no secret, PKCE alone.'),
  scope: z.string().max(500).optional().describe('Space-separated scopes the client may ask for (client credentials).'),
  first_party: z.boolean().default(false),
});
export type OAuthClientMetadata = z.infer<typeof OAuthClientMetadata>;

export const OAuthClient = OAuthClientMetadata.extend({
  client_id: z.string(),
  client_id_issued_at: z.number().int().describe('Seconds since the epoch.'),
  updated_at: IsoTime,
});
export type OAuthClient = z.infer<typeof OAuthClient>;

/** The registration answer of RFC 7591 §3.2.1: the only time the secret is shown. */
export const OAuthClientWithSecret = OAuthClient.extend({
  client_secret: z.string().optional().describe('Shown once; only its hash is kept. Absent for a public client.'),
  client_secret_expires_at: z.literal(0).optional(),
});
export type OAuthClientWithSecret = z.infer<typeof OAuthClientWithSecret>;

export const OAuthClientList = z.object({ items: z.array(OAuthClient) });
export type OAuthClientList = z.infer<typeof OAuthClientList>;

const common = { service: 'identity' as const, tags: ['admin'], security: 'admin' as const };

export const oauthClientOperations = defineOperations([
  {
    ...common,
    operationId: 'registerOAuthClient',
    method: 'post',
    path: '/admin/oauth/clients',
    summary: 'Register an OpenID Connect client (RFC 7591 metadata)',
    body: { json: OAuthClientMetadata },
    responses: { 201: { description: 'The client, with its secret shown this once.', body: OAuthClientWithSecret } },
    errors: ['validation_failed', 'invalid_client_metadata'],
  },
  {
    ...common,
    operationId: 'listOAuthClients',
    method: 'get',
    path: '/admin/oauth/clients',
    summary: 'Every registered client',
    responses: { 200: { description: 'The clients, newest first.', body: OAuthClientList } },
  },
  {
    ...common,
    operationId: 'getOAuthClient',
    method: 'get',
    path: '/admin/oauth/clients/{id}',
    summary: 'One client',
    params: OAuthClientParams,
    responses: { 200: { description: 'The client.', body: OAuthClient } },
    errors: ['not_found'],
  },
  {
    ...common,
    operationId: 'updateOAuthClient',
    method: 'put',
    path: '/admin/oauth/clients/{id}',
    summary: "Replace a client's metadata (its secret stays)",
    params: OAuthClientParams,
    body: { json: OAuthClientMetadata },
    responses: { 200: { description: 'The client.', body: OAuthClient } },
    errors: ['not_found', 'validation_failed', 'invalid_client_metadata'],
  },
  {
    ...common,
    operationId: 'deleteOAuthClient',
    method: 'delete',
    path: '/admin/oauth/clients/{id}',
    summary: 'Delete a client, with every grant and token issued to it',
    params: OAuthClientParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: ['not_found'],
  },
  {
    ...common,
    operationId: 'rotateOAuthClientSecret',
    method: 'post',
    path: '/admin/oauth/clients/{id}/secret',
    summary: 'Give a confidential client a new secret; the old one stops working at once',
    params: OAuthClientParams,
    responses: { 200: { description: 'The client, with its new secret shown this once.', body: OAuthClientWithSecret } },
    errors: ['not_found', 'conflict'],
  },
]);
