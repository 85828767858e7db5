import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { PasskeyOptionsResponse } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { refuseWhileLocked } from '../login/confirm-password';
import { announceLock, recordLoginFailure, type LoginThrottle } from '../login/login.use-case';
import type { SessionIssuer, TokenResponse } from '../sessions/session-issuer';
import { hashToken } from '../tokens/one-time-token';
import { MFA_MAX_ATTEMPTS, challengeCaptcha, challengeClosed, resolveChallenge } from '../two-factor/login-second-factor.use-case';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { UserRepository, UserSummary } from '../users/user.repository';
import type { ChallengeBinding, PasskeyChallengeRepository } from './passkey-challenge.repository';
import type { PasskeyRepository, StoredPasskey } from './passkey.repository';
import { challengeInvalid, claimedChallenge, keyKindOf, type RelyingParty } from './relying-party';

export interface PasskeySignInDeps {
  users: Pick<UserRepository, 'findById' | 'announce'>;
  passkeys: Pick<PasskeyRepository, 'listOf' | 'find' | 'recordUse'>;
  challenges: Pick<PasskeyChallengeRepository, 'issue' | 'take'>;
  twoFactor: Pick<TwoFactorRepository, 'findByChallenge' | 'takeAttempt' | 'passWithPasskey'>;
  throttle: LoginThrottle;
  audit: Pick<AuditLog, 'record'>;
  sessions: Pick<SessionIssuer, 'open'>;
  party: RelyingParty;
  clock: () => Date;
}

const notVerified = () => new AppError('invalid_credentials', 'The passkey could not be verified');

/**
 * Options for `navigator.credentials.get()`. Without an mfa_token: a sign-in with a passkey alone,
 * any discoverable passkey of this relying party (so the browser can offer them in autofill), user
 * verification required, since the passkey is then every factor. With one: the second step of a
 * two-factor sign-in, offering that account's passkeys only.
 */
export function startPasskeySignIn(deps: PasskeySignInDeps) {
  return async (input: { mfaToken?: string | undefined; context: RequestContext }): Promise<PasskeyOptionsResponse> => {
    const now = deps.clock();
    const expiresAt = new Date(now.getTime() + deps.party.challengeTtlMs);
    const common = { rpID: deps.party.id, timeout: deps.party.challengeTtlMs };
    if (input.mfaToken === undefined) {
      const options = await generateAuthenticationOptions({ ...common, userVerification: 'required' });
      await deps.challenges.issue(options.challenge, { purpose: 'sign-in' }, expiresAt);
      return { options };
    }
    const { user, hash } = await resolveChallenge(deps, { mfaToken: input.mfaToken, context: input.context }, now);
    const passkeys = await deps.passkeys.listOf(user.id);
    if (passkeys.length === 0) throw new AppError('not_found', 'This account has no passkey: use a code instead');
    const options = await generateAuthenticationOptions({
      ...common,
      userVerification: 'preferred',
      allowCredentials: passkeys.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    });
    await deps.challenges.issue(options.challenge, { purpose: 'second-factor', userId: user.id, mfaHash: hash }, expiresAt);
    return { options };
  };
}

/**
 * Checks the answer to a challenge of startPasskeySignIn and opens a session as a password sign-in
 * does. The challenge is taken back before anything else (one atomic delete), so it answers once,
 * right or wrong. The library checks origin, relying party, signature, user presence (and
 * verification where asked) and that the sign counter moved forward: a counter that did not is a
 * cloned authenticator, refused. The counter is then stored only if no other answer moved it meanwhile.
 */
export function finishPasskeySignIn(deps: PasskeySignInDeps) {
  return async (input: {
    credential: AuthenticationResponseJSON;
    mfaToken?: string | undefined;
    context: RequestContext;
  }): Promise<TokenResponse> => {
    const now = deps.clock();
    const challenge = claimedChallenge(input.credential.response.clientDataJSON);
    const binding = challenge ? await deps.challenges.take(challenge, now) : null;
    if (!challenge || !binding || binding.purpose === 'registration') throw challengeInvalid();
    if (binding.purpose === 'second-factor') return secondFactor(deps, input, challenge, binding, now);
    if (input.mfaToken !== undefined) throw challengeInvalid();

    const passkey = await deps.passkeys.find(input.credential.id);
    const user = passkey && (await deps.users.findById(passkey.userId));
    const refuse = async (reason: string): Promise<never> => {
      await deps.audit.record({
        userId: user?.id ?? null,
        action: 'login',
        outcome: 'failure',
        context: input.context,
        details: { reason, factors: 'passkey' },
      });
      throw notVerified();
    };
    // An account whose purge has begun is as good as gone, as with a password.
    if (!passkey || !user || user.deletion?.purgeStartedAt) return refuse('unknown_passkey');
    const userHandle = input.credential.response.userHandle;
    if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== passkey.userId)
      return refuse('user_handle_mismatch');
    const failure = await verifyUse(deps, input.credential, challenge, passkey, true, now);
    if (failure) return refuse(failure);
    await deps.audit.record({
      userId: user.id,
      action: 'login',
      outcome: 'success',
      context: input.context,
      details: { factors: 'passkey' },
    });
    return deps.sessions.open(user, input.context, ['passkey'], notVerified, keyKindOf(passkey));
  };
}

async function secondFactor(
  deps: PasskeySignInDeps,
  input: { credential: AuthenticationResponseJSON; mfaToken?: string | undefined; context: RequestContext },
  challenge: string,
  binding: ChallengeBinding,
  now: Date,
): Promise<TokenResponse> {
  if (input.mfaToken === undefined || hashToken(input.mfaToken) !== binding.mfaHash) throw challengeInvalid();
  const { user, challenge: mfa, hash } = await resolveChallenge(deps, { mfaToken: input.mfaToken, context: input.context }, now);
  const key = { email: user.email, ip: input.context.ip };
  await refuseWhileLocked(deps.throttle, key, now, challengeCaptcha(mfa));
  if (!(await deps.twoFactor.takeAttempt(user.id, hash, now, MFA_MAX_ATTEMPTS))) return challengeClosed(deps, user, input.context);
  const passkey = await deps.passkeys.find(input.credential.id);
  const failure =
    !passkey || passkey.userId !== user.id ? 'unknown_passkey' : await verifyUse(deps, input.credential, challenge, passkey, false, now);
  if (failure || !(await deps.twoFactor.passWithPasskey(user.id, hash, now))) {
    return refuseSecondFactor(deps, user, input.context, key, now);
  }
  await deps.throttle.reset(key);
  await deps.audit.record({
    userId: user.id,
    action: 'login',
    outcome: 'success',
    context: input.context,
    details: { factors: 'password,passkey' },
  });
  return deps.sessions.open(
    user,
    input.context,
    ['password', 'passkey'],
    () => new AppError('token_invalid', 'The mfa_token is not valid; sign in again'),
    keyKindOf(passkey!),
  );
}

/** A wrong passkey at the second step counts like a wrong code: towards the lock, as LoginFailed. */
async function refuseSecondFactor(
  deps: PasskeySignInDeps,
  user: UserSummary,
  context: RequestContext,
  key: { email: string; ip: string },
  now: Date,
): Promise<never> {
  const outcome = await deps.throttle.recordFailure(key, now);
  await recordLoginFailure(deps, { email: user.email, context }, user, 'bad_second_factor', outcome.failures);
  if (outcome.locked) await announceLock(deps, user, context, outcome, now);
  throw notVerified();
}

/** Verifies the answer against the stored passkey and records its use; the reason it failed, or null. */
async function verifyUse(
  deps: Pick<PasskeySignInDeps, 'party' | 'passkeys'>,
  credential: AuthenticationResponseJSON,
  challenge: string,
  passkey: StoredPasskey,
  requireUserVerification: boolean,
  now: Date,
): Promise<string | null> {
  let info;
  try {
    const verification = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: deps.party.origins,
      expectedRPID: deps.party.id,
      credential: {
        id: passkey.id,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification,
    });
    if (!verification.verified) return 'bad_signature';
    info = verification.authenticationInfo;
  } catch (error) {
    return error instanceof Error ? error.message : 'unverifiable';
  }
  const recorded = await deps.passkeys.recordUse(passkey.id, {
    expectedCounter: passkey.counter,
    counter: info.newCounter,
    backedUp: info.credentialBackedUp,
    at: now,
  });
  return recorded ? null : 'counter_raced';
}
