import { randomUUID } from 'node:crypto';
import { createEvent, type AnyCloudEvent, type Locale } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { TOKEN_PATTERN, hashToken } from '../tokens/one-time-token';
import type { PasswordHasher } from '../users/password-hasher';
import type { Role } from '../users/user.model';
import type { NewUser, UserSummary } from '../users/user.repository';
import { verificationEmail } from '../verification/verification-email';
import { inviteRefusal } from '../waitlist/invite';
import type { WaitlistRepository } from '../waitlist/waitlist.repository';
import type { PasswordPolicy } from './password-policy';

interface RegistrationStore {
  /** The account holding the address, as its own or as one it may still restore (an undone email change). */
  findHolder(email: string): Promise<UserSummary | null>;
  create(user: NewUser, events: AnyCloudEvent[]): Promise<'created' | 'duplicate'>;
  announce(userId: string, events: AnyCloudEvent[]): Promise<void>;
}

export interface RegisterDeps {
  users: RegistrationStore;
  hasher: PasswordHasher;
  policy: Pick<PasswordPolicy, 'enforce'>;
  clock: () => Date;
  verification: { ttlMs: number; linkBase: string };
  audit: Pick<AuditLog, 'record'>;
  /** REGISTRATION_MODE: in `waitlist` mode an invite for the address is required. */
  registrationMode: 'open' | 'waitlist';
  invites: Pick<WaitlistRepository, 'findByInvite' | 'spendInvite'>;
}

const SOURCE = '/identity';

/**
 * Registers an account, or, when the address is taken, tells its owner by email. Both paths hash the
 * password first and give the caller the same answer, so neither the response nor its timing tells
 * whether an address has an account.
 */
export function register(deps: RegisterDeps) {
  return async (input: {
    email: string;
    password: string;
    inviteToken?: string | undefined;
    /** Chosen or negotiated by the route; the owner of a taken address keeps their own. */
    locale: Locale;
    context: RequestContext;
  }): Promise<void> => {
    // Before any lookup: a refusal depends on the input alone, never on whether the address exists.
    await deps.policy.enforce(input.password, { email: input.email, field: 'password' });
    // An invite's answers depend on the invite alone too; it is spent only once the account exists.
    // Addresses in ADMIN_EMAILS need one like any other: answering them differently told an attacker
    // which addresses are listed (the first admin is bootstrapped in open mode or by `admin:role`).
    const invite = deps.registrationMode === 'waitlist' ? await acceptedInvite(deps, input) : null;
    const passwordHash = await deps.hasher.hash(input.password);
    const existing = await deps.users.findHolder(input.email);
    if (existing) return warnOwner(deps, existing, input.context);

    const now = deps.clock();
    const userId = randomUUID();
    // Never the admin role here, even for an address in ADMIN_EMAILS: the registrant has not shown they
    // hold the address yet. Verifying it grants the role (verify-email.use-case.ts).
    const roles: Role[] = ['user'];
    const verification = verificationEmail({ userId, email: input.email, locale: input.locale, now, ...deps.verification });
    const outcome = await deps.users.create(
      { id: userId, email: input.email, passwordHash, roles, locale: input.locale, token: verification.token },
      [
        createEvent('UserRegistered', {
          source: SOURCE,
          subject: userId,
          time: now,
          data: {
            userId,
            email: input.email,
            roles,
            registrationMode: deps.registrationMode,
            ...(invite ? { waitlistEntryId: invite.entryId } : {}),
          },
        }),
        verification.event,
      ],
    );
    if (outcome === 'duplicate') {
      const winner = await deps.users.findHolder(input.email);
      if (winner) await warnOwner(deps, winner, input.context);
      return;
    }
    // The unique address makes the invite single-use already (it names one address); spending it
    // after the account exists means a crash in between cannot cost the invitee their invite.
    if (invite) await deps.invites.spendInvite(invite.entryId, invite.hash, now);
    await deps.audit.record({
      userId,
      action: 'register',
      outcome: 'success',
      context: input.context,
      details: { roles: roles.join(','), registrationMode: deps.registrationMode, ...(invite ? { waitlistEntryId: invite.entryId } : {}) },
    });
  };
}

async function acceptedInvite(
  deps: RegisterDeps,
  input: { email: string; inviteToken?: string | undefined; context: RequestContext },
): Promise<{ entryId: string; hash: string }> {
  const refuse = async (error: AppError): Promise<never> => {
    await deps.audit.record({
      userId: null,
      action: 'register',
      outcome: 'failure',
      context: input.context,
      details: { reason: error.code, email: input.email },
    });
    throw error;
  };
  if (!input.inviteToken) {
    return refuse(new AppError('invite_required', 'Registration is by invitation: join the waitlist, and register with the link we send'));
  }
  const hash = hashToken(input.inviteToken);
  const entry = TOKEN_PATTERN.test(input.inviteToken) ? await deps.invites.findByInvite(hash) : null;
  const refusal = inviteRefusal(input.inviteToken, entry, input.email, deps.clock());
  if (refusal || !entry) return refuse(refusal ?? new AppError('token_invalid', 'The invitation is not valid'));
  return { entryId: entry.id, hash };
}

async function warnOwner(deps: RegisterDeps, owner: UserSummary, context: RequestContext): Promise<void> {
  await deps.audit.record({ userId: owner.id, action: 'register', outcome: 'failure', context, details: { reason: 'address_taken' } });
  await deps.users.announce(owner.id, [
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: owner.id,
      time: deps.clock(),
      data: { template: 'registration-attempt', to: owner.email, locale: owner.locale, userId: owner.id, variables: {} },
    }),
  ]);
}
