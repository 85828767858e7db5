import { countOutcomes, type Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { cancelTwoFactorReset } from './cancel-two-factor-reset.use-case';
import { confirmTwoFactorReset } from './confirm-two-factor-reset.use-case';
import { disableTwoFactor } from './disable-two-factor.use-case';
import { enableTwoFactor } from './enable-two-factor.use-case';
import { getTwoFactorStatus } from './get-two-factor-status.use-case';
import { loginSecondFactor } from './login-second-factor.use-case';
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.use-case';
import { requestTwoFactorReset } from './request-two-factor-reset.use-case';
import { twoFactorRoutes } from './two-factor.routes';
import { verifyTwoFactor } from './verify-two-factor.use-case';

export function twoFactorFeature(
  ctx: Pick<
    IdentityContext,
    'config' | 'twoFactor' | 'users' | 'sealer' | 'hasher' | 'throttle' | 'audit' | 'issuer' | 'clock' | 'counters' | 'requireUser'
  >,
): Feature {
  const { twoFactor, users, sealer, hasher, throttle, audit, clock } = ctx;
  const proof = { twoFactor, users, sealer, hasher, throttle, audit, clock };
  const secondStep = loginSecondFactor({ twoFactor, users, sealer, throttle, audit, sessions: ctx.issuer, clock });
  const routes = twoFactorRoutes({
    enable: enableTwoFactor({ ...proof, issuer: ctx.config.TOTP_ISSUER }),
    verify: verifyTwoFactor(proof),
    disable: disableTwoFactor(proof),
    regenerate: regenerateRecoveryCodes(proof),
    loginSecondFactor: countOutcomes(secondStep, ctx.counters.secondFactor, () => 'success'),
    status: getTwoFactorStatus({ twoFactor }),
    requestReset: requestTwoFactorReset({
      twoFactor,
      users,
      throttle,
      audit,
      clock,
      link: { ttlMs: ctx.config.TWO_FACTOR_RESET_LINK_TTL, appUrl: ctx.config.APP_URL },
    }),
    confirmReset: confirmTwoFactorReset({
      twoFactor,
      audit,
      clock,
      reset: { delayMs: ctx.config.TWO_FACTOR_RESET_DELAY, appUrl: ctx.config.APP_URL },
    }),
    cancelReset: cancelTwoFactorReset({ twoFactor, users, audit, clock }),
    authenticate: ctx.requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
