import { Router } from 'express';
import {
  LoginSecondFactorBody,
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
import { contextOf } from '../http/request-context';
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
  return router;
}
