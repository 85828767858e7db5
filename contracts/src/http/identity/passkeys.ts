import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';
import { tokens } from './login';
import { MfaToken } from './two-factor';

const Base64Url = z
  .string()
  .min(1)
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
const Transports = z.array(z.string().max(32)).max(8);

/** What the browser's `navigator.credentials.create()` gave, as @simplewebauthn/browser's startRegistration returns it. */
const PasskeyRegistrationCredential = z.looseObject({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    transports: Transports.optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/** What the browser's `navigator.credentials.get()` gave, as @simplewebauthn/browser's startAuthentication returns it. */
const PasskeyAuthenticationCredential = z.looseObject({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: Base64Url,
    authenticatorData: Base64Url,
    signature: Base64Url,
    userHandle: Base64Url.optional(),
  }),
  clientExtensionResults: z.looseObject({}).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

const CurrentPassword = z.string().min(1).max(1024).describe("The account's current password.");

const PasskeyName = z.string().trim().min(1).max(64).describe('A name the user gives the passkey, to tell it apart in the list.');

export const PasskeyRegistrationOptionsBody = z.object({ password: CurrentPassword }).strict();
export const PasskeyRegistrationVerifyBody = z.object({ name: PasskeyName, credential: PasskeyRegistrationCredential }).strict();
export const PasskeyAuthenticationOptionsBody = z
  .object({
    mfaToken: MfaToken.optional().describe(
      "The `mfa_token` of a correct password on an account with two-factor on: the passkey is then the second factor, and only that account's passkeys are offered.",
    ),
  })
  .strict()
  .default({});
export const PasskeyAuthenticationVerifyBody = z
  .object({
    credential: PasskeyAuthenticationCredential,
    mfaToken: MfaToken.optional().describe('The same `mfa_token` the options were asked with.'),
  })
  .strict();
export const PasskeyRemoveBody = z.object({ password: CurrentPassword }).strict();
export const PasskeyParams = z.object({ id: Base64Url.max(1024) });

/** The options for the browser's WebAuthn call, as @simplewebauthn/server makes them (`optionsJSON` of @simplewebauthn/browser). */
const WebAuthnOptions = z.looseObject({ challenge: z.string(), timeout: z.number().optional() });
/** The options as the library types them; the schema above documents and checks what every client relies on. */
type WebAuthnOptionsJSON = { challenge: string; timeout?: number };
export const PasskeyOptionsResponse = z.object({ options: WebAuthnOptions });
export type PasskeyOptionsResponse = { options: WebAuthnOptionsJSON };

export const Passkey = z.object({
  id: z.string().describe("The credential's id (base64url)."),
  name: z.string(),
  createdAt: IsoTime,
  lastUsedAt: IsoTime.nullable().describe('The last sign-in with it; null until it is first used.'),
  deviceType: z.enum(['singleDevice', 'multiDevice']).describe('multiDevice: a synced passkey; singleDevice: bound to one authenticator.'),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
});
export type Passkey = z.output<typeof Passkey>;
export const PasskeyList = z.object({ passkeys: z.array(Passkey) });
export type PasskeyList = z.output<typeof PasskeyList>;
export const PasskeyCreated = z.object({ passkey: Passkey });
export type PasskeyCreated = z.output<typeof PasskeyCreated>;

const challengeErrors = ['passkey_challenge_invalid', 'validation_failed'] as const;

export const passkeyOperations = defineOperations([
  {
    operationId: 'listPasskeys',
    method: 'get',
    path: '/auth/passkeys',
    service: 'identity',
    summary: "The signed-in account's passkeys",
    tags: ['passkeys'],
    security: 'bearer',
    responses: { 200: { description: 'The passkeys, oldest first.', body: PasskeyList } },
  },
  {
    operationId: 'passkeyRegistrationOptions',
    method: 'post',
    path: '/auth/passkeys/registration/options',
    service: 'identity',
    summary: 'Start adding a passkey (password confirmed)',
    description:
      'Checks the current password and answers the options for `navigator.credentials.create()`; their challenge works once, for PASSKEY_CHALLENGE_TTL (5 minutes by default), for this account only.',
    tags: ['passkeys'],
    security: 'bearer',
    body: { json: PasskeyRegistrationOptionsBody },
    responses: { 200: { description: 'The creation options.', body: PasskeyOptionsResponse } },
    errors: ['validation_failed', 'invalid_credentials', 'email_not_verified', 'account_locked', 'captcha_required'],
  },
  {
    operationId: 'passkeyRegistrationVerify',
    method: 'post',
    path: '/auth/passkeys/registration/verify',
    service: 'identity',
    summary: 'Finish adding a passkey',
    description:
      "Checks the authenticator's answer to the registration challenge (origin, relying party, challenge) and keeps the passkey.",
    tags: ['passkeys'],
    security: 'bearer',
    body: { json: PasskeyRegistrationVerifyBody },
    responses: { 201: { description: 'The passkey is added.', body: PasskeyCreated } },
    errors: [...challengeErrors, 'invalid_credentials', 'conflict'],
  },
  {
    operationId: 'removePasskey',
    method: 'delete',
    path: '/auth/passkeys/{id}',
    service: 'identity',
    summary: 'Remove a passkey (password confirmed)',
    tags: ['passkeys'],
    security: 'bearer',
    params: PasskeyParams,
    body: { json: PasskeyRemoveBody },
    responses: { 204: { description: 'The passkey is removed; it no longer signs in.' } },
    errors: ['validation_failed', 'invalid_credentials', 'not_found', 'account_locked', 'captcha_required'],
  },
  {
    operationId: 'passkeyAuthenticationOptions',
    method: 'post',
    path: '/auth/passkeys/authentication/options',
    service: 'identity',
    summary: 'Start signing in with a passkey',
    description:
      'Without `mfaToken`: options for a sign-in with a passkey alone (discoverable credentials, user verification required; fit for the autofill UI). With it: options for the second step of a two-factor sign-in.',
    tags: ['passkeys'],
    security: 'none',
    body: { json: PasskeyAuthenticationOptionsBody, required: false },
    responses: { 200: { description: 'The request options for `navigator.credentials.get()`.', body: PasskeyOptionsResponse } },
    errors: ['validation_failed', 'token_malformed', 'token_invalid', 'token_used', 'token_expired'],
    rateLimit: 'passkey-options',
  },
  {
    operationId: 'passkeyAuthenticationVerify',
    method: 'post',
    path: '/auth/passkeys/authentication/verify',
    service: 'identity',
    summary: 'Finish signing in with a passkey',
    description:
      "Checks the authenticator's answer (challenge, origin, relying party, signature, a sign counter that moves forward) and opens a session as a password sign-in does. A challenge works once.",
    tags: ['passkeys'],
    security: 'none',
    body: { json: PasskeyAuthenticationVerifyBody },
    responses: { 200: tokens },
    errors: [
      ...challengeErrors,
      'invalid_credentials',
      'token_malformed',
      'token_invalid',
      'token_used',
      'token_expired',
      'account_locked',
      'account_disabled',
    ],
    rateLimit: 'passkey-sign-in',
  },
]);
