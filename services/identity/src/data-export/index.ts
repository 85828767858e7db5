import { MaintenanceTasks, type AnyCloudEvent } from '@solar/contracts';
import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import type { MaintenanceTask } from '../maintenance/maintenance-due.consumer';
import { collectIdentityPart } from './collect-identity-part.use-case';
import { dataExportHandler } from './data-export.consumer';
import { dataExportRoutes } from './data-export.routes';
import { downloadDataExport } from './download-data-export.use-case';
import { expireDataExports } from './expire-data-exports.use-case';
import { receivePart } from './receive-part.use-case';
import { requestDataExport, startDataExportFor } from './request-data-export.use-case';

export type DataExportFeature = Feature & {
  /** The deadline and the purge, run by the maintenance feature on MaintenanceDue. */
  tasks: Record<string, MaintenanceTask>;
};

/** Self-service data export (GDPR articles 15 and 20), the twin of deletion: it fans out over events too. */
export function dataExportFeature(
  ctx: Pick<
    IdentityContext,
    | 'config'
    | 'users'
    | 'sessions'
    | 'passkeys'
    | 'twoFactor'
    | 'auditQuery'
    | 'dataExports'
    | 'throttle'
    | 'audit'
    | 'hasher'
    | 'sealer'
    | 'clock'
    | 'logger'
    | 'requireUser'
  > & { publish: (events: AnyCloudEvent[]) => Promise<void> },
): DataExportFeature {
  const { config, users, audit, clock, sealer, logger, dataExports: exports } = ctx;
  const start = { exports, users, audit, clock, participants: config.DATA_EXPORT_PARTICIPANTS, deadlineMs: config.DATA_EXPORT_DEADLINE };
  const routes = dataExportRoutes({
    request: requestDataExport({ ...start, hasher: ctx.hasher, throttle: ctx.throttle, twoFactor: ctx.twoFactor, sealer }),
    startFor: startDataExportFor(start),
    download: downloadDataExport({ exports, audit, sealer, clock }),
    authenticate: ctx.requireUser,
  });
  const handler = dataExportHandler(
    {
      collect: collectIdentityPart({
        twoFactor: ctx.twoFactor,
        sessions: ctx.sessions,
        passkeys: ctx.passkeys,
        auditQuery: ctx.auditQuery,
        publish: ctx.publish,
        clock,
      }),
      receive: receivePart({ exports, users, sealer, clock, appUrl: config.APP_URL, logger }),
    },
    logger,
  );
  return {
    routes: (app) => app.use(routes),
    handlers: [handler],
    tasks: { [MaintenanceTasks.expireDataExports]: expireDataExports({ exports, clock, batchSize: config.MAINTENANCE_BATCH_SIZE }) },
  };
}
