import { Router } from 'express';
import {
  LoginSecondFactorBody,
  TwoFactorResetConfirmBody,
  TwoFactorResetRequestBody,
  type CancelTwoFactorResetResponse,
  type TwoFactorResetResponse,
  type TwoFactorStatus,
  RegenerateRecoveryCodesBody,
  TwoFactorDisableBody,
  TwoFactorEnableBody,
  TwoFactorVerifyBody,
  type Message,
  type RecoveryCodesResponse,
  type TokenResponse,
  type TwoFactorEnableResponse,
} from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { cancelTwoFactorReset } from './cancel-two-factor-reset.use-case';
import type { confirmTwoFactorReset } from './confirm-two-factor-reset.use-case';
import type { getTwoFactorStatus } from './get-two-factor-status.use-case';
import { pendingResetView } from './pending-reset';
import type { requestTwoFactorReset } from './request-two-factor-reset.use-case';
import type { disableTwoFactor } from './disable-two-factor.use-case';
import type { enableTwoFactor } from './enable-two-factor.use-case';
import type { loginSecondFactor } from './login-second-factor.use-case';
import type { regenerateRecoveryCodes } from './regenerate-recovery-codes.use-case';
import type { verifyTwoFactor } from './verify-two-factor.use-case';

// Secrets, recovery codes and tokens in these answers must not rest in any cache.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function twoFactorRoutes(deps: {
  enable: ReturnType<typeof enableTwoFactor>;
  verify: ReturnType<typeof verifyTwoFactor>;
  disable: ReturnType<typeof disableTwoFactor>;
  regenerate: ReturnType<typeof regenerateRecoveryCodes>;
  loginSecondFactor: ReturnType<typeof loginSecondFactor>;
  status: ReturnType<typeof getTwoFactorStatus>;
  requestReset: ReturnType<typeof requestTwoFactorReset>;
  confirmReset: ReturnType<typeof confirmTwoFactorReset>;
  cancelReset: ReturnType<typeof cancelTwoFactorReset>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/2fa/enable', deps.authenticate, async (req, res) => {
    const body = TwoFactorEnableBody.parse(req.body);
    const setup: TwoFactorEnableResponse = await deps.enable({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.set(NO_STORE).json(setup);
  });
  router.post('/auth/2fa/verify', deps.authenticate, async (req, res) => {
    const body = TwoFactorVerifyBody.parse(req.body);
    const codes: RecoveryCodesResponse = await deps.verify({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.set(NO_STORE).json(codes);
  });
  router.post('/auth/2fa/disable', deps.authenticate, async (req, res) => {
    const body = TwoFactorDisableBody.parse(req.body);
    await deps.disable({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.json({ message: 'Two-factor authentication is off.' } satisfies Message);
  });
  router.post('/auth/2fa/recovery-codes', deps.authenticate, async (req, res) => {
    const body = RegenerateRecoveryCodesBody.parse(req.body);
    const codes: RecoveryCodesResponse = await deps.regenerate({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.set(NO_STORE).json(codes);
  });
  router.post('/auth/login/2fa', async (req, res) => {
    const body = LoginSecondFactorBody.parse(req.body);
    const tokens: TokenResponse = await deps.loginSecondFactor({ ...body, context: contextOf(req) });
    res.set(NO_STORE).json(tokens);
  });
  router.get('/auth/2fa', deps.authenticate, async (req, res) => {
    const status: TwoFactorStatus = await deps.status(authOf(req).userId);
    res.set(NO_STORE).json(status);
  });
  router.post('/auth/login/2fa/reset', async (req, res) => {
    const body = TwoFactorResetRequestBody.parse(req.body);
    await deps.requestReset({ ...body, context: contextOf(req) });
    res.status(202).json({ message: 'We emailed your address a link to confirm the two-factor reset.' } satisfies Message);
  });
  router.post('/auth/2fa/reset/confirm', noReferrer, async (req, res) => {
    const body = TwoFactorResetConfirmBody.parse(req.body);
    const { reset, created } = await deps.confirmReset({ ...body, context: contextOf(req) });
    const answer: TwoFactorResetResponse = {
      reset: pendingResetView(reset),
      message: created
        ? 'Two-factor authentication will be turned off at the first sign-in with your password after effectiveAt, unless cancelled first.'
        : 'A two-factor reset was already pending; its time is unchanged.',
    };
    res.status(created ? 202 : 200).json(answer);
  });
  router.delete('/auth/2fa/reset', deps.authenticate, async (req, res) => {
    await deps.cancelReset({ userId: authOf(req).userId, context: contextOf(req) });
    const answer: CancelTwoFactorResetResponse = { reset: null, message: 'The two-factor reset is cancelled; two-factor stays on.' };
    res.json(answer);
  });
  return router;
}
