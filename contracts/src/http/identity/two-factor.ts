import { z } from 'zod';
import { Message } from '../common';
import { defineOperations } from '../operation';
import { tokens } from './login';

export const TotpCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the authenticator app');

/** As shown to the user (`xxxx-xxxx-xxxx-xxxx`); case, spaces and dashes are forgiven when typed back. */
export const RecoveryCode = z.string().min(1).max(64);

export const TwoFactorEnableResponse = z.object({
  secret: z.string().describe('Base32 TOTP secret, for typing into an authenticator app by hand.'),
  otpauthUri: z.string().describe('The otpauth://totp/ URI the QR code encodes.'),
  qrCode: z.object({
    png: z.string().describe('data:image/png;base64,... of the QR code.'),
    svg: z.string().describe('The QR code as an SVG document.'),
  }),
});
export type TwoFactorEnableResponse = z.output<typeof TwoFactorEnableResponse>;

/**
 * Setting two-factor up needs the password as well as the access token: a stolen token alone must
 * not be able to put the account behind an authenticator app its owner does not have.
 */
const CurrentPassword = z.string().min(1).max(1024).describe("The account's current password.");
export const TwoFactorEnableBody = z.object({ password: CurrentPassword });
export type TwoFactorEnableBody = z.output<typeof TwoFactorEnableBody>;
export const TwoFactorVerifyBody = z.object({ password: CurrentPassword, code: TotpCode });

/** Shown once: only hashes are kept. */
export const RecoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()).length(10) });
export type RecoveryCodesResponse = z.output<typeof RecoveryCodesResponse>;

/** Turning two-factor off and regenerating recovery codes both need the password and a current code. */
export const TwoFactorConfirmBody = z.object({ password: z.string().min(1).max(1024), code: TotpCode });
export const TwoFactorDisableBody = TwoFactorConfirmBody;
export const RegenerateRecoveryCodesBody = TwoFactorConfirmBody;

export const MfaToken = z.string().min(1).max(256);

export const LoginSecondFactorBody = z
  .object({ mfaToken: MfaToken, code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), {
    message: 'give either code or recoveryCode, not both',
    path: ['code'],
  })
  .describe('Exactly one of `code` and `recoveryCode`.');
export type LoginSecondFactorBody = z.output<typeof LoginSecondFactorBody>;

const recoveryCodes = { description: 'The new recovery codes, shown this once.', body: RecoveryCodesResponse };

export const twoFactorOperations = defineOperations([
  {
    operationId: 'enableTwoFactor',
    method: 'post',
    path: '/auth/2fa/enable',
    service: 'identity',
    summary: 'Start setting up an authenticator app',
    description:
      'Issues a new pending secret (replacing an unconfirmed one); two-factor is on once POST /auth/2fa/verify confirms it. Needs the current password and a verified address.',
    tags: ['two-factor'],
    security: 'bearer',
    body: { json: TwoFactorEnableBody },
    responses: { 200: { description: 'The secret to scan or type in.', body: TwoFactorEnableResponse } },
    errors: ['validation_failed', 'invalid_credentials', 'email_not_verified', 'conflict', 'account_locked'],
  },
  {
    operationId: 'verifyTwoFactor',
    method: 'post',
    path: '/auth/2fa/verify',
    service: 'identity',
    summary: 'Confirm the authenticator app with a first code and turn two-factor on',
    tags: ['two-factor'],
    security: 'bearer',
    body: { json: TwoFactorVerifyBody },
    responses: { 200: { description: 'Two-factor is on; the recovery codes, shown this once.', body: RecoveryCodesResponse } },
    errors: [
      'validation_failed',
      'invalid_credentials',
      'email_not_verified',
      'invalid_code',
      'conflict',
      'account_locked',
      'captcha_required',
    ],
  },
  {
    operationId: 'disableTwoFactor',
    method: 'post',
    path: '/auth/2fa/disable',
    service: 'identity',
    summary: 'Turn two-factor off (password and a current code)',
    tags: ['two-factor'],
    security: 'bearer',
    body: { json: TwoFactorDisableBody },
    responses: { 200: { description: 'Two-factor is off.', body: Message } },
    errors: ['validation_failed', 'invalid_credentials', 'invalid_code', 'conflict', 'account_locked', 'captcha_required'],
  },
  {
    operationId: 'regenerateRecoveryCodes',
    method: 'post',
    path: '/auth/2fa/recovery-codes',
    service: 'identity',
    summary: 'Replace the recovery codes (password and a current code)',
    tags: ['two-factor'],
    security: 'bearer',
    body: { json: RegenerateRecoveryCodesBody },
    responses: { 200: recoveryCodes },
    errors: ['validation_failed', 'invalid_credentials', 'invalid_code', 'conflict', 'account_locked', 'captcha_required'],
  },
  {
    operationId: 'loginSecondFactor',
    method: 'post',
    path: '/auth/login/2fa',
    service: 'identity',
    summary: 'Finish signing in with a TOTP code or a recovery code',
    description: 'Takes the `mfa_token` POST /auth/login answered with; each token takes at most 5 codes.',
    tags: ['auth'],
    security: 'none',
    body: { json: LoginSecondFactorBody },
    responses: { 200: tokens },
    errors: [
      'validation_failed',
      'invalid_code',
      'token_malformed',
      'token_invalid',
      'token_used',
      'token_expired',
      'account_locked',
      'captcha_required',
    ],
    rateLimit: 'login-2fa',
  },
]);
