import { z } from 'zod';
import { defineOperations } from '../operation';

/**
 * The signature of the browser's `_interaction` cookie, which the provider set for this request only
 * on the browser that started it. The pages pass it on, so an id seen elsewhere (a log, a shoulder)
 * cannot be completed with another account.
 */
export const INTERACTION_PROOF_HEADER = 'x-interaction-proof';

/** The id oidc-provider gives a pending sign-in or consent; the account pages find it in their /interaction/{uid} path. */
export const OAuthInteractionParams = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) });

export const OAuthInteraction = z.object({
  uid: z.string(),
  prompt: z.enum(['login', 'consent']).describe('What the provider waits for: a (fresh) sign-in, or the consent to what the app asks.'),
  reasons: z.array(z.string()).describe('Why, as oidc-provider names it: `login_prompt` and `max_age` ask for a fresh sign-in.'),
  client: z.object({ id: z.string(), name: z.string(), firstParty: z.boolean() }),
  scopes: z.array(z.string()).describe('The scopes the app asks for and has not been granted yet.'),
});
export type OAuthInteraction = z.infer<typeof OAuthInteraction>;

export const OAuthInteractionDone = z.object({
  redirectTo: z.url().describe('Where the browser goes next: back to the provider, which answers the app.'),
});
export type OAuthInteractionDone = z.infer<typeof OAuthInteractionDone>;

export const oauthInteractionOperations = defineOperations([
  {
    operationId: 'getOAuthInteraction',
    method: 'get',
    path: '/oauth/interactions/{uid}',
    service: 'identity',
    summary: 'What a pending OpenID Connect sign-in or consent asks (for the account pages)',
    tags: ['oauth'],
    security: 'bearer',
    params: OAuthInteractionParams,
    responses: { 200: { description: 'The pending interaction.', body: OAuthInteraction } },
    errors: ['not_found'],
  },
  {
    operationId: 'completeOAuthSignIn',
    method: 'post',
    path: '/oauth/interactions/{uid}/login',
    service: 'identity',
    summary: 'Finish the sign-in step of an OpenID Connect request as the signed-in account',
    description:
      "The account pages call this once their own sign-in (with its second factor) has succeeded, with the browser's interaction cookie signature in `X-Interaction-Proof`.",
    tags: ['oauth'],
    security: 'bearer',
    params: OAuthInteractionParams,
    responses: { 200: { description: 'Send the browser on.', body: OAuthInteractionDone } },
    errors: ['not_found', 'forbidden', 'account_disabled'],
  },
  {
    operationId: 'grantOAuthConsent',
    method: 'post',
    path: '/oauth/interactions/{uid}/consent',
    service: 'identity',
    summary: 'Grant an app the scopes it asks for, remembered until revoked',
    description: "With the browser's interaction cookie signature in `X-Interaction-Proof`.",
    tags: ['oauth'],
    security: 'bearer',
    params: OAuthInteractionParams,
    responses: { 200: { description: 'Send the browser on.', body: OAuthInteractionDone } },
    errors: ['not_found', 'forbidden'],
  },
  {
    operationId: 'denyOAuthRequest',
    method: 'post',
    path: '/oauth/interactions/{uid}/deny',
    service: 'identity',
    summary: 'Refuse an app what it asks: it gets access_denied',
    description: "With the browser's interaction cookie signature in `X-Interaction-Proof`.",
    tags: ['oauth'],
    security: 'bearer',
    params: OAuthInteractionParams,
    responses: { 200: { description: 'Send the browser on.', body: OAuthInteractionDone } },
    errors: ['not_found', 'forbidden'],
  },
]);
