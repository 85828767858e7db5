import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { auditRoutes } from './audit.routes';
import { emailSuppressionRemovedHandler } from './email-suppression-removed.consumer';
import { listAuditLog } from './list-audit-log.use-case';
import { recordSuppressionRemoval } from './record-suppression-removal.use-case';

export function auditFeature({
  auditQuery,
  requireUser,
  users,
  audit,
  logger,
}: Pick<IdentityContext, 'auditQuery' | 'requireUser' | 'users' | 'audit' | 'logger'>): Feature {
  const routes = auditRoutes({ list: listAuditLog({ entries: auditQuery }), authenticate: requireUser });
  return {
    routes: (app) => app.use(routes),
    // Admin actions other services take on an account's behalf land in its log too.
    handlers: [emailSuppressionRemovedHandler(recordSuppressionRemoval({ users, audit }), logger)],
  };
}
