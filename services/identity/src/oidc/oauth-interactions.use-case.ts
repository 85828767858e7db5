import { AppError } from '@solar/chassis';
import type { OAuthInteraction, OAuthInteractionDone } from '@solar/contracts';
import type { InteractionResults, Provider } from 'oidc-provider';
import type { AccessClaims } from '../tokens/access-tokens';
import type { SessionRepository } from '../sessions/session.repository';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import { accountDisabled } from '../users/account-disabled';
import type { UserRepository } from '../users/user.repository';
import type { OAuthConsentRepository } from './oauth-consent.repository';

type Interaction = InstanceType<Provider['Interaction']>;

export interface OAuthInteractionDeps {
  provider: Provider;
  sessions: Pick<SessionRepository, 'listActive'>;
  users: Pick<UserRepository, 'findById'>;
  twoFactor: Pick<TwoFactorRepository, 'signInGate'>;
  consents: Pick<OAuthConsentRepository, 'remember'>;
  clock: () => Date;
  /** Whether the proof the pages passed on is the browser's own interaction cookie for this id. */
  startedHere: (uid: string, proof: string | undefined) => boolean;
}

/** Reasons for which the provider wants a sign-in made after the request began, not the session's old one. */
const FRESH_SIGN_IN = new Set(['login_prompt', 'max_age']);

/** Methods that make a sign-in multi-factor on their own or beside the password. */
const MULTI_FACTOR = new Set(['otp', 'hwk', 'swk']);

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The account pages' side of oidc-provider's interactions: what a pending request asks, and its
 * completion by the signed-in account (sign-in, then consent for a third-party app).
 */
export function oauthInteractions(deps: OAuthInteractionDeps) {
  const { provider } = deps;

  async function pending(uid: string): Promise<Interaction> {
    const interaction = await provider.Interaction.find(uid);
    if (!interaction) throw new AppError('not_found', 'No sign-in or consent is pending under this id; it may have expired');
    return interaction;
  }

  /** A pending interaction that this browser started: only it may finish it. */
  async function ownPending(uid: string, proof: string | undefined): Promise<Interaction> {
    const interaction = await pending(uid);
    if (!deps.startedHere(uid, proof)) throw new AppError('forbidden', 'This sign-in request was started in another browser');
    return interaction;
  }

  // What oidc-provider's interactionFinished does, without the browser's request: the resume endpoint
  // still checks the browser's own interaction cookie before it answers the app.
  async function finish(interaction: Interaction, result: InteractionResults): Promise<OAuthInteractionDone> {
    interaction.result = result;
    await interaction.save(Math.max(1, interaction.exp - epochSeconds()));
    return { redirectTo: interaction.returnTo };
  }

  /** A session opened before sessions kept their amr: two-factor on means it passed it (no password sign-in skips it). */
  async function legacyAmr(userId: string): Promise<string[]> {
    return (await deps.twoFactor.signInGate(userId)).on ? ['pwd', 'otp'] : ['pwd'];
  }

  return {
    async describe(uid: string): Promise<OAuthInteraction> {
      const interaction = await pending(uid);
      const clientId = String(interaction.params.client_id);
      const client = await provider.Client.find(clientId);
      const missing = interaction.prompt.details.missingOIDCScope;
      return {
        uid,
        prompt: interaction.prompt.name === 'login' ? 'login' : 'consent',
        reasons: interaction.prompt.reasons,
        client: { id: clientId, name: client?.clientName ?? clientId, firstParty: client?.['first_party'] === true },
        scopes: Array.isArray(missing) ? missing.map(String) : [],
      };
    },

    async signIn(uid: string, auth: AccessClaims, proof: string | undefined): Promise<OAuthInteractionDone> {
      const interaction = await ownPending(uid, proof);
      const session = (await deps.sessions.listActive(auth.userId)).find((live) => live.id === auth.sessionId);
      if (!session) throw new AppError('unauthorized', 'The access token is missing, invalid or expired');
      // Disabling ends the account's sessions; one that outlived it by a moment signs no app in.
      if ((await deps.users.findById(auth.userId))?.disabled) throw accountDisabled();
      const signedInAt = Math.floor(session.createdAt.getTime() / 1000);
      if (interaction.prompt.reasons.some((reason) => FRESH_SIGN_IN.has(reason)) && signedInAt < interaction.iat) {
        throw new AppError('forbidden', 'This app asks for a fresh sign-in: sign in again, then continue');
      }
      const amr = session.amr ?? (await legacyAmr(auth.userId));
      return finish(interaction, {
        login: {
          accountId: auth.userId,
          // The identity session behind this sign-in: its end ends the OIDC session (oidc-provider.ts).
          sid: auth.sessionId,
          ts: signedInAt,
          amr,
          // A passkey sign-in asks for user verification (a PIN or biometric on the authenticator): two factors in one.
          acr: amr.some((method) => MULTI_FACTOR.has(method)) ? 'urn:solar:loa:mfa' : 'urn:solar:loa:pwd',
        },
      });
    },

    async deny(uid: string, proof: string | undefined): Promise<OAuthInteractionDone> {
      return finish(await ownPending(uid, proof), { error: 'access_denied', error_description: 'The user refused the request' });
    },

    async consent(uid: string, auth: AccessClaims, proof: string | undefined): Promise<OAuthInteractionDone> {
      const interaction = await ownPending(uid, proof);
      if (interaction.prompt.name !== 'consent') throw new AppError('not_found', 'No consent is pending under this id');
      if (interaction.session?.accountId !== auth.userId) throw new AppError('forbidden', 'This request was signed in by another account');
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({ accountId: auth.userId, clientId: String(interaction.params.client_id) });
      if (!grant) throw new AppError('not_found', 'No sign-in or consent is pending under this id; it may have expired');
      const { missingOIDCScope, missingOIDCClaims } = interaction.prompt.details;
      if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims.map(String));
      const grantId = await grant.save();
      const scopes = grant.getOIDCScope().split(' ').filter(Boolean);
      await deps.consents.remember(auth.userId, String(interaction.params.client_id), scopes, deps.clock());
      return finish(interaction, { consent: { grantId } });
    },
  };
}
