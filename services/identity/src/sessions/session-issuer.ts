import { randomUUID } from 'node:crypto';
import { createEvent, type TokenResponse } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { IdentityConfig } from '../config';
import type { RequestContext } from '../http/request-context';
import type { AccessTokens } from '../tokens/access-tokens';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { SignInActivity } from '../deletion/sign-in-activity';
import type { SessionRepository } from './session.repository';

export type { TokenResponse };

export type Factor = 'password' | 'totp' | 'recovery_code' | 'passkey';

/** RFC 8176: a passkey bound to one authenticator is a hardware-secured key, a synced one a software-secured key. */
export type KeyKind = 'hwk' | 'swk';

const AMR: Record<Exclude<Factor, 'passkey'>, string> = { password: 'pwd', totp: 'otp', recovery_code: 'otp' };

/** The OIDC `amr` of a sign-in by these factors; `passkey` needs the kind of key it was. */
function amrOf(factors: Factor[], keyKind?: KeyKind): string[] {
  return factors.map((factor) => (factor === 'passkey' ? (keyKind ?? 'swk') : AMR[factor]));
}

/** How long a new session's first refresh token lives: the idle timeout, or the absolute age when shorter. */
export const firstRefreshTtl = (config: Pick<IdentityConfig, 'SESSION_IDLE_TIMEOUT' | 'SESSION_MAX_AGE'>) =>
  Math.min(config.SESSION_IDLE_TIMEOUT, config.SESSION_MAX_AGE);

/** Opens a session (a refresh-token family) for a user who has proved who they are. */
export class SessionIssuer {
  constructor(
    private readonly sessions: Pick<SessionRepository, 'open'>,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTtlMs: number,
    private readonly clock: () => Date,
    /** Told of every completed sign-in (it resets the inactivity clock and may cancel an inactivity deletion). */
    private readonly signIns: SignInActivity,
  ) {}

  /**
   * `refusal` is what the caller answers when the account went (or began its purge) after its checks
   * passed; by default what an unknown address gets.
   */
  async open(
    user: { id: string; roles: string[]; emailVerifiedAt: Date | null },
    context: RequestContext,
    factors: Factor[],
    refusal: () => AppError = () => new AppError('invalid_credentials', 'The email address or password is not correct'),
    keyKind?: KeyKind,
  ): Promise<TokenResponse> {
    const now = this.clock();
    if (!(await this.signIns.signedIn(user, context, now))) throw refusal();
    const sessionId = randomUUID();
    const refresh = issueOneTimeToken(now, this.refreshTtlMs);
    await this.sessions.open(
      { id: sessionId, userId: user.id, tokenHash: refresh.hash, expiresAt: refresh.expiresAt, context, amr: amrOf(factors, keyKind) },
      [
        createEvent('LoginSucceeded', {
          source: '/identity',
          subject: user.id,
          time: now,
          data: { userId: user.id, sessionId, factors, ip: context.ip, userAgent: context.userAgent },
        }),
      ],
    );
    return this.tokens(user, sessionId, refresh.value);
  }

  async tokens(
    user: { id: string; roles: string[]; emailVerifiedAt: Date | null },
    sessionId: string,
    refreshToken: string,
  ): Promise<TokenResponse> {
    const accessToken = await this.accessTokens.sign({
      userId: user.id,
      sessionId,
      roles: user.roles,
      emailVerified: user.emailVerifiedAt !== null,
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokens.expiresInSeconds, refresh_token: refreshToken };
  }
}
