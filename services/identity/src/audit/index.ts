import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { auditRoutes } from './audit.routes';
import { listAuditLog } from './list-audit-log.use-case';

export function auditFeature({ auditQuery, requireUser }: Pick<IdentityContext, 'auditQuery' | 'requireUser'>): Feature {
  const routes = auditRoutes({ list: listAuditLog({ entries: auditQuery }), authenticate: requireUser });
  return { routes: (app) => app.use(routes) };
}
