import { z } from 'zod';
import { IsoTime, Message } from '../common';
import { defineOperations } from '../operation';
import { EmailedToken } from './fields';
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

/** Asked for at the second step of signing in, instead of a code: the mfa_token proves the password. */
export const TwoFactorResetRequestBody = z.object({ mfaToken: MfaToken }).strict();
/** The token from the emailed link; in the body, never the URL (finding 12). */
export const TwoFactorResetConfirmBody = z.object({ token: EmailedToken }).strict();

/** A reset confirmed from the mailbox, waiting for its delay; `null` when none is pending. */
export const PendingTwoFactorReset = z.object({
  confirmedAt: IsoTime,
  effectiveAt: IsoTime.describe(
    'From then, the first sign-in with the password turns two-factor off, unless the reset is cancelled first (DELETE /auth/2fa/reset).',
  ),
});
export type PendingTwoFactorReset = z.output<typeof PendingTwoFactorReset>;

export const TwoFactorResetResponse = z.object({ reset: PendingTwoFactorReset, message: z.string() });
export type TwoFactorResetResponse = z.output<typeof TwoFactorResetResponse>;
export const CancelTwoFactorResetResponse = z.object({ reset: z.null(), message: z.string() });
export type CancelTwoFactorResetResponse = z.output<typeof CancelTwoFactorResetResponse>;

export const TwoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: IsoTime.nullable(),
  recoveryCodesRemaining: z.number().int().min(0),
  reset: PendingTwoFactorReset.nullable().describe('The pending reset, or null when none is.'),
});
export type TwoFactorStatus = z.output<typeof TwoFactorStatus>;

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
      'account_disabled',
      'captcha_required',
    ],
    rateLimit: 'login-2fa',
  },
  {
    operationId: 'getTwoFactorStatus',
    method: 'get',
    path: '/auth/2fa',
    service: 'identity',
    summary: 'Whether two-factor is on, and any pending reset',
    tags: ['two-factor'],
    security: 'bearer',
    responses: { 200: { description: "The account's two-factor state.", body: TwoFactorStatus } },
    errors: ['not_found'],
  },
  {
    operationId: 'requestTwoFactorReset',
    method: 'post',
    path: '/auth/login/2fa/reset',
    service: 'identity',
    summary: 'Lost the authenticator and the recovery codes: email a link to reset two-factor',
    description:
      'Takes the `mfa_token` POST /auth/login answered with, which it spends (one email per correct password). ' +
      'Emails the verified address a link (TWO_FACTOR_RESET_LINK_TTL, 1 hour by default) to POST /auth/2fa/reset/confirm. Bad tokens count towards the sign-in lock.',
    tags: ['two-factor'],
    security: 'none',
    body: { json: TwoFactorResetRequestBody },
    responses: { 202: { description: "The link is on its way to the account's address.", body: Message } },
    errors: [
      'validation_failed',
      'token_malformed',
      'token_invalid',
      'token_used',
      'token_expired',
      'email_not_verified',
      'account_locked',
      'captcha_required',
    ],
    rateLimit: 'two-factor-reset',
  },
  {
    operationId: 'confirmTwoFactorReset',
    method: 'post',
    path: '/auth/2fa/reset/confirm',
    service: 'identity',
    summary: 'Confirm a two-factor reset with the token from the emailed link',
    description:
      'Two-factor turns off at `effectiveAt` (TWO_FACTOR_RESET_DELAY from now), at the first sign-in with the password after it, ' +
      'unless cancelled from a signed-in session first; the owner is emailed now and when it takes effect. ' +
      'A reset already pending keeps its time (200). A password change or reset cancels it.',
    tags: ['two-factor'],
    security: 'none',
    body: { json: TwoFactorResetConfirmBody },
    responses: {
      202: { description: 'The reset is scheduled.', body: TwoFactorResetResponse },
      200: { description: 'A reset was already pending; this is it, unchanged.', body: TwoFactorResetResponse },
    },
    errors: ['validation_failed', 'token_malformed', 'token_invalid', 'token_used', 'token_expired', 'conflict'],
    rateLimit: 'two-factor-reset-confirm',
  },
  {
    operationId: 'cancelTwoFactorReset',
    method: 'delete',
    path: '/auth/2fa/reset',
    service: 'identity',
    summary: 'Cancel a pending two-factor reset',
    description: 'Any live session of the account may cancel it; the owner is emailed. 409 `conflict` when none is pending.',
    tags: ['two-factor'],
    security: 'bearer',
    responses: { 200: { description: 'Cancelled: two-factor stays on.', body: CancelTwoFactorResetResponse } },
    errors: ['conflict'],
  },
]);
