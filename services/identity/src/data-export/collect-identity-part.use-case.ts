import { dataExportPartEvents, type AnyCloudEvent, type EventData, type IdentityExportData } from '@solar/contracts';
import type { AuditLogQuery } from '../audit/audit-log.query';
import type { PasskeyRepository } from '../passkeys/passkey.repository';
import type { SessionRepository } from '../sessions/session.repository';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';

/** Audit pages read for one export; an account's whole history is a few thousand entries at most. */
const AUDIT_PAGE = 500;
const AUDIT_MAX = 20_000;

/**
 * Identity's own part, answered like every participant's. Only what the person can be told: never
 * the password hash, the TOTP secret, recovery codes, token hashes, nor the ids of other records
 * (sessions, deletion requests, other exports, passkeys' credential ids), which mean nothing outside
 * and could link records.
 */
export function collectIdentityPart(deps: {
  twoFactor: Pick<TwoFactorRepository, 'find'>;
  sessions: Pick<SessionRepository, 'listActive'>;
  passkeys: Pick<PasskeyRepository, 'listOf'>;
  auditQuery: Pick<AuditLogQuery, 'newestFirst'>;
  publish: (events: AnyCloudEvent[]) => Promise<void>;
  clock: () => Date;
}) {
  return async (request: EventData<'DataExportRequested'>): Promise<void> => {
    const account = await deps.twoFactor.find(request.userId);
    // A purged account has nothing left to export; the deadline names identity as missing.
    if (!account) return;
    const { user, twoFactor } = account;
    const [sessions, passkeys, auditLog] = await Promise.all([
      deps.sessions.listActive(user.id),
      deps.passkeys.listOf(user.id),
      auditEntriesOf(deps.auditQuery, user.id),
    ]);
    const data: IdentityExportData = {
      account: {
        email: user.email,
        name: user.displayName,
        locale: user.locale,
        roles: [...user.roles],
        createdAt: user.createdAt.toISOString(),
        emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
        twoFactorEnabled: twoFactor.enabledAt !== null,
        pendingDeletion:
          user.deletion && user.deletion.reason !== 'unverified'
            ? { requestedAt: user.deletion.requestedAt.toISOString(), purgeAt: user.deletion.purgeAt.toISOString() }
            : null,
      },
      sessions: sessions.map((session) => ({
        createdAt: session.createdAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        ip: session.ip,
        userAgent: session.userAgent,
      })),
      passkeys: passkeys.map((passkey) => ({
        name: passkey.name,
        createdAt: passkey.createdAt.toISOString(),
        lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
        backedUp: passkey.backedUp,
      })),
      auditLog,
    };
    await deps.publish(dataExportPartEvents({ exportId: request.exportId, service: 'identity', data, time: deps.clock() }));
  };
}

async function auditEntriesOf(query: Pick<AuditLogQuery, 'newestFirst'>, userId: string): Promise<IdentityExportData['auditLog']> {
  const entries: IdentityExportData['auditLog'] = [];
  let after: { at: Date; id: string } | undefined;
  while (entries.length < AUDIT_MAX) {
    const page = await query.newestFirst({ userId }, { ...(after ? { after } : {}), limit: AUDIT_PAGE });
    for (const entry of page) {
      entries.push({
        action: entry.action,
        outcome: entry.outcome,
        at: entry.at.toISOString(),
        ip: entry.ip,
        userAgent: entry.userAgent,
        details: withoutRecordIds(entry.details),
      });
    }
    const last = page.at(-1);
    if (page.length < AUDIT_PAGE || !last) break;
    after = { at: last.at, id: last.id };
  }
  return entries;
}

/** `sessionId`, `deletionRequestId`, `adminId`...: references to other records stay inside. */
function withoutRecordIds(details: Record<string, string | number | boolean | null>): Record<string, string | number | boolean | null> {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([key]) => !/id$/i.test(key)));
}
