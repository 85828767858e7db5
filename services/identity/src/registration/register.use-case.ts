import { randomUUID } from 'node:crypto';
import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { PasswordHasher } from '../users/password-hasher';
import type { Role } from '../users/user.model';
import type { NewUser, UserSummary } from '../users/user.repository';
import { verificationEmail } from '../verification/verification-email';
import type { PasswordPolicy } from './password-policy';

export interface RegistrationStore {
  findByEmail(email: string): Promise<UserSummary | null>;
  create(user: NewUser, events: AnyCloudEvent[]): Promise<'created' | 'duplicate'>;
  announce(userId: string, events: AnyCloudEvent[]): Promise<void>;
}

export interface RegisterDeps {
  users: RegistrationStore;
  hasher: PasswordHasher;
  policy: Pick<PasswordPolicy, 'enforce'>;
  clock: () => Date;
  verification: { ttlMs: number; linkBase: string };
  adminEmails: ReadonlySet<string>;
  audit: Pick<AuditLog, 'record'>;
}

const SOURCE = '/identity';

/**
 * Registers an account, or, when the address is taken, tells its owner by email. Both paths hash the
 * password first and give the caller the same answer, so neither the response nor its timing tells
 * whether an address has an account.
 */
export function register(deps: RegisterDeps) {
  return async (input: { email: string; password: string; context: RequestContext }): Promise<void> => {
    // Before any lookup: a refusal depends on the input alone, never on whether the address exists.
    deps.policy.enforce(input.password, { email: input.email, field: 'password' });
    const passwordHash = await deps.hasher.hash(input.password);
    const existing = await deps.users.findByEmail(input.email);
    if (existing) return warnOwner(deps, existing, input.context);

    const now = deps.clock();
    const userId = randomUUID();
    const roles: Role[] = deps.adminEmails.has(input.email) ? ['user', 'admin'] : ['user'];
    const verification = verificationEmail({ userId, email: input.email, now, ...deps.verification });
    const outcome = await deps.users.create({ id: userId, email: input.email, passwordHash, roles, token: verification.token }, [
      createEvent('UserRegistered', {
        source: SOURCE,
        subject: userId,
        time: now,
        data: { userId, email: input.email, roles, registrationMode: 'open' },
      }),
      verification.event,
    ]);
    if (outcome === 'duplicate') {
      const winner = await deps.users.findByEmail(input.email);
      if (winner) await warnOwner(deps, winner, input.context);
      return;
    }
    await deps.audit.record({
      userId,
      action: 'register',
      outcome: 'success',
      context: input.context,
      details: { roles: roles.join(',') },
    });
  };
}

async function warnOwner(deps: RegisterDeps, owner: UserSummary, context: RequestContext): Promise<void> {
  await deps.audit.record({ userId: owner.id, action: 'register', outcome: 'failure', context, details: { reason: 'address_taken' } });
  await deps.users.announce(owner.id, [
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: owner.id,
      time: deps.clock(),
      data: { template: 'registration-attempt', to: owner.email, locale: 'en', userId: owner.id, variables: {} },
    }),
  ]);
}
