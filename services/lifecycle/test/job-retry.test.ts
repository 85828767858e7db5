/**
 * An admin retries a failed job: it runs again at once, through Agenda, failing again or succeeding;
 * every other job, an unknown one, a non-admin and a stale sign-in are refused.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { waitFor } from '@solar/chassis/testing';
import { identityEvent, lifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

interface Job {
  id: string;
  name: string;
  failures: number;
  lastError: string | null;
  lastFinishedAt: string | null;
  retriedBy: string | null;
  retriedAt: string | null;
}

let lifecycle: LifecycleHarness;

beforeAll(async () => {
  // No automatic retries: a failed job stays failed until an admin retries it.
  lifecycle = await lifecycleHarness('job-retry', { JOBS_RETRY_ATTEMPTS: '0' });
  await lifecycle.start();
});

afterAll(async () => {
  await lifecycle?.stop();
});

const jobs = () => lifecycle.db.collection('agendaJobs');

async function call(method: 'GET' | 'POST', path: string, token?: string) {
  const response = await lifecycle.fetch(`${lifecycle.url}${path}`, {
    method,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function failedJobs(admin: string): Promise<Job[]> {
  return (await call('GET', '/admin/jobs?state=failed', admin)).body.failed as Job[];
}

/**
 * A purge job whose data names no deletion request lifecycle can look up: the real job throws
 * (mongoose cannot cast the object to the request's id), as a corrupt job would.
 */
async function purgeJobThatFails(): Promise<string> {
  const { insertedId } = await jobs().insertOne({
    name: 'deletion-grace-period-expired',
    type: 'normal',
    priority: 0,
    data: { userId: `user-${randomUUID()}`, deletionRequestId: { not: 'a request id' } },
    nextRunAt: new Date(),
  });
  return insertedId.toHexString();
}

const failedOnce = (admin: string, id: string) =>
  waitFor(async () => (await failedJobs(admin)).find((job) => job.id === id), { what: `job ${id} to fail` });

it('runs a failed job again now: it fails again, then, its cause mended, succeeds', async () => {
  const admin = lifecycle.issuer.token(['admin']);
  const id = await purgeJobThatFails();
  const failed = await failedOnce(admin, id);
  expect(failed).toMatchObject({ failures: 1, lastError: expect.stringContaining('Cast'), retriedBy: null, retriedAt: null });

  expect(await call('POST', `/admin/jobs/${id}/retry`, admin)).toEqual({ status: 204, body: {} });
  const again = await waitFor(
    async () => {
      const job = (await failedJobs(admin)).find((row) => row.id === id);
      return job?.retriedBy && job.failures === 1 ? job : undefined;
    },
    { what: 'the retried job to fail again' },
  );
  // A fresh round: its failures start again from one, and the retry is on record.
  expect(again).toMatchObject({ retriedBy: 'admin-user', retriedAt: expect.any(String), lastError: expect.stringContaining('Cast') });
  expect(again.lastFinishedAt! >= again.retriedAt!).toBe(true);

  // The cause mended (a pending deletion the job can find), a retry purges it.
  const userId = `user-${randomUUID()}`;
  const deletionRequestId = randomUUID();
  await lifecycle.publish(
    identityEvent('DeletionRequested', {
      userId,
      email: `${userId}@example.test`,
      deletionRequestId,
      purgeAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  );
  await waitFor(
    async () =>
      (await lifecycle.db.collection<{ _id: string }>('pending_deletions').countDocuments({ _id: deletionRequestId })) === 1 || undefined,
    {
      what: 'the deletion to be tracked',
    },
  );
  await jobs().updateOne({ _id: new Types.ObjectId(id) }, { $set: { 'data.deletionRequestId': deletionRequestId, 'data.userId': userId } });
  expect((await call('POST', `/admin/jobs/${id}/retry`, admin)).status).toBe(204);

  const [expired] = await lifecycle.waitForEvents('DeletionGracePeriodExpired', (data) => data.deletionRequestId === deletionRequestId);
  expect(expired?.data).toMatchObject({ userId });
  await waitFor(async () => !(await failedJobs(admin)).some((job) => job.id === id) || undefined, {
    what: 'the job to leave the failed list',
  });
  const done = await jobs().findOne({ _id: new Types.ObjectId(id) });
  expect(done).toMatchObject({
    failedAt: null,
    lastFinishedAt: expect.any(Date),
    data: expect.objectContaining({ retriedBy: 'admin-user' }),
  });
});

it('refuses a job that has not failed (409), an unknown id (404) and a malformed one (400)', async () => {
  const admin = lifecycle.issuer.token(['admin']);
  const upcoming = (await call('GET', '/admin/jobs?state=upcoming', admin)).body.upcoming as Job[];
  const sweep = upcoming.find((job) => job.name === 'deletion-sweep');
  expect(sweep).toBeDefined();
  expect(await call('POST', `/admin/jobs/${sweep!.id}/retry`, admin)).toMatchObject({ status: 409, body: { code: 'job_not_failed' } });
  expect(await call('POST', `/admin/jobs/${new Types.ObjectId().toHexString()}/retry`, admin)).toMatchObject({
    status: 404,
    body: { code: 'not_found' },
  });
  expect(await call('POST', '/admin/jobs/not-a-job/retry', admin)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  // Refused, it stays as it was.
  const untouched = await jobs().findOne({ _id: new Types.ObjectId(sweep!.id) });
  expect(untouched).toMatchObject({ name: 'deletion-sweep' });
  expect(JSON.stringify(untouched?.data ?? {})).not.toContain('retriedBy');
});

it('refuses the retry without a token (401), to a non-admin (403) and after a stale sign-in (403), leaving the job failed', async () => {
  const admin = lifecycle.issuer.token(['admin']);
  const id = await purgeJobThatFails();
  await failedOnce(admin, id);
  const path = `/admin/jobs/${id}/retry`;
  expect(await call('POST', path)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  expect(await call('POST', path, lifecycle.issuer.token(['user']))).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  expect(await call('POST', path, lifecycle.issuer.token(['admin'], { signedInRecently: false }))).toMatchObject({
    status: 403,
    body: { code: 'reauthentication_required', maxAgeSeconds: 300 },
  });
  // A stale non-admin learns only that it is no admin.
  expect(await call('POST', path, lifecycle.issuer.token(['user'], { signedInRecently: false }))).toMatchObject({
    status: 403,
    body: { code: 'forbidden' },
  });
  expect(await failedJobs(admin)).toEqual(expect.arrayContaining([expect.objectContaining({ id, failures: 1, retriedBy: null })]));
});
