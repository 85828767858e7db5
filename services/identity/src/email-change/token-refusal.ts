import { AppError } from '@solar/chassis';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';

const REFUSALS = new Set(['token_malformed', 'token_invalid', 'token_expired', 'token_used', 'conflict']);

/** Audits a refused link (someone trying links, or an owner too late) under `action`, then rethrows. */
export function auditTokenRefusal(audit: Pick<AuditLog, 'record'>, action: AuditRecord['action'], context: RequestContext) {
  return async (error: unknown): Promise<never> => {
    if (error instanceof AppError && REFUSALS.has(error.code)) {
      await audit.record({ userId: null, action, outcome: 'failure', context, details: { reason: error.code } });
    }
    throw error;
  };
}
