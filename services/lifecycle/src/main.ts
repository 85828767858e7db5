import { Topics } from '@solar/contracts';
import {
  accessTokenVerifierFromConfig,
  loadConfig,
  requireAdmin,
  sessionIntrospectorFromConfig,
  serviceMain,
  serviceRuntime,
  type Env,
  type Logger,
  type Service,
} from '@solar/chassis';
import { adminFeature } from './admin';
import { LifecycleConfig } from './config';
import { dataExportFeature } from './data-export';
import { deletionsFeature } from './deletions';
import { pendingDeletionModel } from './deletions/pending-deletion.model';
import { PendingDeletionRepository } from './deletions/pending-deletion.repository';
import { publishVia } from './events/publish-events';
import { JobScheduler } from './jobs/job-scheduler';
import { recurringSchedules } from './jobs/recurring-jobs';
import { maintenanceFeature } from './maintenance';
import { reportsFeature } from './reports';
import { countedEventModel, dailyReportModel } from './reports/report.model';
import { ReportRepository } from './reports/report.repository';

export interface LifecycleService extends Service {
  /** Queues a recurring job to run at once through Agenda, as its schedule would (operators, tests). */
  runJobNow(name: string): Promise<void>;
}

/**
 * The system's clock. Its jobs (grace-period purges, the deletion sweep, cleanups, monthly resets,
 * the daily report) run on Agenda in its own database; it learns what it needs from events only.
 */
export function createLifecycleService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): LifecycleService {
  const config = loadConfig(LifecycleConfig, env);
  let scheduler: JobScheduler | undefined;
  const service = serviceRuntime({
    service: 'lifecycle',
    config,
    listen: { port: config.PORT, host: config.HOST },
    publishes: [Topics.lifecycle, Topics.identityDataExportParts],
    mongoUrl: config.MONGO_URL,
    logger: overrides.logger,
    clock: overrides.clock,
    async compose({ db, publisher, clock, logger, metrics }) {
      const deletions = new PendingDeletionRepository(pendingDeletionModel(db));
      const reportModels = [countedEventModel(db), dailyReportModel(db)] as const;
      await Promise.all([deletions.init(), ...reportModels.map((model) => model.init())]);
      const reports = new ReportRepository(...reportModels);
      const jobs = new JobScheduler({
        db,
        processEveryMs: config.JOBS_PROCESS_EVERY,
        concurrency: config.JOBS_CONCURRENCY,
        lockLifetimeMs: config.JOBS_LOCK_LIFETIME,
        stopWaitMs: config.SHUTDOWN_TIMEOUT / 4,
        retry: { attempts: config.JOBS_RETRY_ATTEMPTS, delayMs: config.JOBS_RETRY_DELAY, maxDelayMs: config.JOBS_RETRY_MAX_DELAY },
        logger,
        metrics,
      });
      scheduler = jobs;
      const publish = publishVia(publisher);
      const verify = accessTokenVerifierFromConfig(config);
      const session = sessionIntrospectorFromConfig(config);
      const admin = requireAdmin(verify, logger, session);
      return {
        features: [
          deletionsFeature({ deletions, jobs, publish, clock }),
          maintenanceFeature({ jobs, publish, clock }),
          reportsFeature({ reports, jobs, publish, clock, requireAdmin: admin }),
          adminFeature({
            jobs,
            requireAdmin: admin,
            requireRecentAdmin: requireAdmin(verify, logger, session, { recentSignIn: true }),
            clock,
            logger,
          }),
          dataExportFeature({ deletions, publish, clock }),
        ],
        // The jobs run and the admin routes answer without it; the events wait in Kafka until it is back.
        consumer: { group: 'lifecycle', topics: [Topics.identityUser, Topics.notificationDeliveries], critical: false },
        // Started once every feature has defined its jobs.
        workers: [{ name: 'jobs', start: () => jobs.start(recurringSchedules(config)), stop: () => jobs.stop() }],
      };
    },
  });
  return {
    ...service,
    async runJobNow(name) {
      if (!scheduler) throw new Error('lifecycle is not started');
      await scheduler.runNow(name);
    },
  };
}

export const main = serviceMain('lifecycle', LifecycleConfig, createLifecycleService);
