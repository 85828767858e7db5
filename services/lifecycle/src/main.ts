import { Topics } from '@solar/contracts';
import {
  accessTokenVerifierFromConfig,
  connectMongo,
  createHttpApp,
  EventConsumer,
  listen,
  loadConfig,
  requireAdmin,
  runStopSteps,
  serveMetrics,
  serviceKit,
  serviceMain,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { adminJobsRoutes } from './admin/admin-jobs.routes';
import { listJobs } from './admin/list-jobs.use-case';
import { LifecycleConfig } from './config';
import { deletionSweepJob, gracePeriodExpiredJob } from './deletions/grace-period-expired.job';
import { pendingDeletionModel } from './deletions/pending-deletion.model';
import { PendingDeletionRepository } from './deletions/pending-deletion.repository';
import { deletionCancelled, deletionRequested, userDeleted } from './deletions/track-deletions.use-case';
import { lifecycleEventsHandler } from './events/lifecycle-events.consumer';
import { publishVia } from './events/publish-events';
import { JobScheduler, PURGE_JOB, type PurgeData } from './jobs/job-scheduler';
import { recurringSchedules } from './jobs/recurring-jobs';
import { maintenanceJob, maintenanceTasksByJob } from './maintenance/maintenance.job';
import { monthlyQuotaResetJob } from './maintenance/monthly-quota-reset.job';
import { countEvent } from './reports/count-event.use-case';
import { dailyReportJob } from './reports/daily-report.job';
import { dailyReportRoutes } from './reports/daily-report.routes';
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
  const { logger, health, metrics, kafka, publisher } = serviceKit({
    service: 'lifecycle',
    config,
    publishes: [Topics.lifecycle],
    logger: overrides.logger,
  });
  const clock = overrides.clock ?? (() => new Date());
  const publish = publishVia(publisher);
  const admin = requireAdmin(accessTokenVerifierFromConfig(config), logger);
  let scheduler: JobScheduler | undefined;
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      const db = await connectMongo(config.MONGO_URL, { health });
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
      const deletionDeps = { deletions, publish, clock };
      jobs.define<PurgeData>(PURGE_JOB, gracePeriodExpiredJob(deletionDeps));
      jobs.define('deletion-sweep', deletionSweepJob(deletionDeps));
      for (const [name, tasks] of Object.entries(maintenanceTasksByJob)) jobs.define(name, maintenanceJob(tasks, { publish, clock }));
      jobs.define('monthly-quota-reset', monthlyQuotaResetJob({ publish, clock }));
      jobs.define('daily-report', dailyReportJob({ reports, publish, clock }));

      const tracking = { deletions, jobs, clock };
      const consumer = new EventConsumer({
        kafka,
        group: 'lifecycle',
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        topics: [Topics.identityUser, Topics.notificationDeliveries],
        handler: lifecycleEventsHandler({
          deletionRequested: deletionRequested(tracking),
          deletionCancelled: deletionCancelled(tracking),
          userDeleted: userDeleted(tracking),
          countEvent: countEvent({ reports }),
        }),
        db,
        publisher,
        logger,
        metrics,
      });
      consumer.registerHealth(health);
      const app = createHttpApp({
        logger,
        health,
        metrics,
        routes: (router) => {
          adminJobsRoutes(router, { listJobs: listJobs({ scheduler: jobs }), requireAdmin: admin });
          dailyReportRoutes(router, { reports, requireAdmin: admin });
        },
      });

      publisher.connect().catch(() => undefined);
      await jobs.start(recurringSchedules(config));
      await consumer.start();
      const server = await listen(app, config.PORT, config.HOST);
      const metricsServer = await serveMetrics(metrics, config, config.PORT);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['consumer', () => consumer.stop()],
        ['jobs', () => jobs.stop()],
        ['kafka producer', () => publisher.stop()],
        ['mongo', () => db.close()],
        ['metrics', () => metricsServer.close(1_000)],
      ];
      return { port: server.port, metricsPort: metricsServer.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
    async runJobNow(name) {
      if (!scheduler) throw new Error('lifecycle is not started');
      await scheduler.runNow(name);
    },
  };
}

export const main = serviceMain('lifecycle', LifecycleConfig, createLifecycleService);
