import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { createEvent, type Passkey, type PasskeyOptionsResponse } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { confirmPassword, type ConfirmPasswordDeps } from '../login/confirm-password';
import type { UserRepository } from '../users/user.repository';
import type { PasskeyChallengeRepository } from './passkey-challenge.repository';
import type { PasskeyRepository } from './passkey.repository';
import { challengeInvalid, claimedChallenge, passkeyView, type RelyingParty } from './relying-party';

export interface AddPasskeyDeps extends ConfirmPasswordDeps {
  users: Pick<UserRepository, 'findById' | 'passwordHashOf' | 'announce'>;
  passkeys: Pick<PasskeyRepository, 'listOf' | 'add'>;
  challenges: Pick<PasskeyChallengeRepository, 'issue' | 'take'>;
  audit: Pick<AuditLog, 'record'>;
  party: RelyingParty;
}

const SOURCE = '/identity';

/**
 * The options to create a passkey with, for a signed-in account that confirmed its password just
 * now: the challenge is bound to the account and lives PASSKEY_CHALLENGE_TTL, so the confirmation
 * is at most that old when the passkey is added. A verified address is needed, as for two-factor:
 * whoever registered an address before its owner must not be able to plant a way in.
 */
export function startPasskeyRegistration(deps: AddPasskeyDeps) {
  return async (input: { userId: string; password: string; context: RequestContext }): Promise<PasskeyOptionsResponse> => {
    const [user, passwordHash] = await Promise.all([deps.users.findById(input.userId), deps.users.passwordHashOf(input.userId)]);
    if (!user || !passwordHash) throw new AppError('unauthorized', 'The account no longer exists');
    if (!user.emailVerifiedAt)
      throw new AppError('email_not_verified', 'Verify the email address (the link we sent) before adding a passkey');
    await confirmPassword(deps, { user, passwordHash, password: input.password, context: input.context, action: 'passkey_added' });
    const existing = await deps.passkeys.listOf(user.id);
    const options = await generateRegistrationOptions({
      rpName: deps.party.name,
      rpID: deps.party.id,
      userName: user.email,
      // The user handle a discoverable passkey gives back at sign-in: the account id, no personal data.
      userID: new TextEncoder().encode(user.id),
      userDisplayName: user.displayName ?? user.email,
      timeout: deps.party.challengeTtlMs,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
      // Resident (discoverable) keys: the passkey alone, without an address typed first, signs in.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const now = deps.clock();
    await deps.challenges.issue(
      options.challenge,
      { purpose: 'registration', userId: user.id },
      new Date(now.getTime() + deps.party.challengeTtlMs),
    );
    return { options };
  };
}

/** Checks the authenticator's answer to a registration challenge of this account and keeps the passkey. */
export function finishPasskeyRegistration(deps: AddPasskeyDeps) {
  return async (input: {
    userId: string;
    name: string;
    credential: RegistrationResponseJSON;
    context: RequestContext;
  }): Promise<Passkey> => {
    const now = deps.clock();
    const challenge = claimedChallenge(input.credential.response.clientDataJSON);
    const binding = challenge ? await deps.challenges.take(challenge, now) : null;
    if (!challenge || binding?.purpose !== 'registration' || binding.userId !== input.userId) throw challengeInvalid();
    const user = await deps.users.findById(input.userId);
    if (!user) throw new AppError('unauthorized', 'The account no longer exists');
    const refuse = async (reason: string): Promise<never> => {
      await deps.audit.record({
        userId: user.id,
        action: 'passkey_added',
        outcome: 'failure',
        context: input.context,
        details: { reason },
      });
      throw new AppError('invalid_credentials', 'The passkey could not be verified');
    };
    const verification = await verifyRegistrationResponse({
      response: input.credential,
      expectedChallenge: challenge,
      expectedOrigin: deps.party.origins,
      expectedRPID: deps.party.id,
      requireUserVerification: false,
    }).catch((error: unknown) => ({ verified: false as const, reason: error instanceof Error ? error.message : 'unverifiable' }));
    if (!verification.verified) return refuse('reason' in verification ? verification.reason : 'not_verified');
    const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
    const passkey = {
      id: credential.id,
      userId: user.id,
      name: input.name,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      aaguid,
      createdAt: now,
      lastUsedAt: null,
    };
    if (!(await deps.passkeys.add(passkey))) throw new AppError('conflict', 'This passkey is already registered');
    const data = { userId: user.id, passkeyId: passkey.id, deviceType: passkey.deviceType, backedUp: passkey.backedUp };
    await deps.audit.record(
      {
        userId: user.id,
        action: 'passkey_added',
        outcome: 'success',
        context: input.context,
        details: { passkeyId: passkey.id, deviceType: passkey.deviceType },
      },
      [createEvent('PasskeyAdded', { source: SOURCE, subject: user.id, time: now, data })],
    );
    await deps.users.announce(user.id, [
      createEvent('EmailRequested', {
        source: SOURCE,
        subject: user.id,
        time: now,
        data: { template: 'passkey-added', to: user.email, locale: user.locale, userId: user.id, variables: { name: passkey.name } },
      }),
    ]);
    return passkeyView(passkey);
  };
}
