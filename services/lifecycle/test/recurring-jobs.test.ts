/**
 * The recurring jobs on Agenda against the real stack: each announces its MaintenanceDue task (or
 * its monthly event), on its cron or when run at once; disabled jobs are not scheduled at all.
 */
import { MaintenanceTasks } from '@solar/contracts';
import { lifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

let lifecycle: LifecycleHarness;

beforeAll(async () => {
  lifecycle = await lifecycleHarness('recurring', {
    // Every second, so the test sees the schedule itself fire.
    JOB_PURGE_EXPIRED_TOKENS_CRON: '* * * * * *',
    JOB_PRUNE_DELIVERY_RECORDS_ENABLED: 'false',
  });
  await lifecycle.start();
});

afterAll(async () => {
  await lifecycle?.stop();
});

const recurring = () =>
  lifecycle.db
    .collection('agendaJobs')
    .find({ type: 'single' })
    .toArray()
    .then((jobs) => new Map(jobs.map((job) => [job.name as string, job])));

const taskIs = (task: string) => (data: Record<string, unknown>) => data.task === task;

it('schedules every enabled job on its cron in UTC, and not the disabled ones', async () => {
  const jobs = await recurring();

  expect([...jobs.keys()].sort()).toEqual(
    [
      'daily-report',
      'deletion-sweep',
      'expire-data-exports',
      'monthly-quota-reset',
      'prune-audit-log',
      'purge-expired-tokens',
      'purge-unverified-accounts',
    ].sort(),
  );
  expect(jobs.get('deletion-sweep')).toMatchObject({ repeatInterval: '0 2 * * *', repeatTimezone: 'UTC' });
  expect(jobs.get('monthly-quota-reset')).toMatchObject({ repeatInterval: '0 0 1 * *' });
  expect(jobs.get('purge-expired-tokens')).toMatchObject({ repeatInterval: '* * * * * *' });
});

it('runs a job on its cron: purge-expired-tokens announces the token and session cleanups', async () => {
  await lifecycle.waitForEvents('MaintenanceDue', taskIs(MaintenanceTasks.purgeExpiredTokens), 2);
  await lifecycle.waitForEvents('MaintenanceDue', taskIs(MaintenanceTasks.purgeExpiredSessions), 2);
});

it.each([
  ['purge-unverified-accounts', MaintenanceTasks.purgeUnverifiedAccounts],
  ['prune-audit-log', MaintenanceTasks.pruneAuditLog],
  ['review-inactive-accounts', MaintenanceTasks.reviewInactiveAccounts],
  ['prune-delivery-records', MaintenanceTasks.pruneDeliveryRecords],
  ['expire-data-exports', MaintenanceTasks.expireDataExports],
])('%s announces MaintenanceDue %s when run', async (job, task) => {
  await lifecycle.service.runJobNow(job);
  const [event] = await lifecycle.waitForEvents('MaintenanceDue', taskIs(task));
  expect(event).toMatchObject({ subject: task, source: '/lifecycle', data: { task } });
});

it('announces MonthlyQuotaResetDue for the month that starts', async () => {
  lifecycle.setClock(new Date('2027-01-01T00:00:00.000Z'));
  try {
    await lifecycle.service.runJobNow('monthly-quota-reset');
    const [event] = await lifecycle.waitForEvents('MonthlyQuotaResetDue', () => true);
    expect(event).toMatchObject({ subject: '2027-01', data: { month: '2027-01' } });
  } finally {
    lifecycle.setClock(new Date());
  }
});

it('removes a recurring job that was switched off since the last start', async () => {
  await lifecycle.stopService();
  await lifecycle.start({ JOB_PURGE_EXPIRED_TOKENS_ENABLED: 'false', JOB_PRUNE_AUDIT_LOG_ENABLED: 'false' });

  const jobs = await recurring();
  expect(jobs.has('purge-expired-tokens')).toBe(false);
  expect(jobs.has('prune-audit-log')).toBe(false);
  expect(jobs.has('deletion-sweep')).toBe(true);
});
