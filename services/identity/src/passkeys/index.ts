import type { Feature } from '@solar/chassis';
import { relyingParty } from '../config';
import type { IdentityContext } from '../identity-context';
import { finishPasskeyRegistration, startPasskeyRegistration } from './add-passkey.use-case';
import { passkeyRoutes } from './passkeys.routes';
import { listPasskeys, removePasskey } from './remove-passkey.use-case';
import { finishPasskeySignIn, startPasskeySignIn } from './sign-in-with-passkey.use-case';

/** Passkeys (WebAuthn): adding and removing them on a signed-in account, and signing in with one, alone or as the second factor. */
export function passkeysFeature(
  ctx: Pick<
    IdentityContext,
    | 'config'
    | 'users'
    | 'passkeys'
    | 'passkeyChallenges'
    | 'twoFactor'
    | 'hasher'
    | 'throttle'
    | 'audit'
    | 'issuer'
    | 'clock'
    | 'requireUser'
  >,
): Feature {
  const { users, passkeys, hasher, throttle, audit, clock } = ctx;
  const party = { ...relyingParty(ctx.config), challengeTtlMs: ctx.config.PASSKEY_CHALLENGE_TTL };
  const challenges = ctx.passkeyChallenges;
  const adding = { users, passkeys, challenges, hasher, throttle, audit, clock, party };
  const signIn = { users, passkeys, challenges, twoFactor: ctx.twoFactor, throttle, audit, sessions: ctx.issuer, party, clock };
  const routes = passkeyRoutes({
    list: listPasskeys({ passkeys }),
    startRegistration: startPasskeyRegistration(adding),
    finishRegistration: finishPasskeyRegistration(adding),
    remove: removePasskey({ users, passkeys, hasher, throttle, audit, clock }),
    startSignIn: startPasskeySignIn(signIn),
    finishSignIn: finishPasskeySignIn(signIn),
    authenticate: ctx.requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
