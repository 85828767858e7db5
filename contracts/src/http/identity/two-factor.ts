import { z } from 'zod';

/** Bodies and answers of the two-factor endpoints (identity, through the gateway under /v1). */

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

export const TwoFactorVerifyBody = z.object({ code: TotpCode });

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
  });
export type LoginSecondFactorBody = z.output<typeof LoginSecondFactorBody>;

/** The answer to a correct password when the account has two-factor on (OAuth2-style snake case, like the token response). */
export const MfaRequiredResponse = z.object({
  mfa_required: z.literal(true),
  mfa_token: z.string().describe('Send with a code to POST /auth/login/2fa within 5 minutes; at most 5 attempts.'),
});
export type MfaRequiredResponse = z.output<typeof MfaRequiredResponse>;
