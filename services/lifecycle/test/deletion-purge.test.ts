/**
 * Deletion requests through Kafka against the real stack: one Agenda job per request, published at
 * purgeAt (never before), cancelled for good, surviving a restart, and caught by the sweep when lost.
 */
import { randomUUID } from 'node:crypto';
import { waitFor } from '@solar/chassis/testing';
import { PURGE_JOB } from '../src/jobs/job-scheduler';
import { identityEvent, lifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

let lifecycle: LifecycleHarness;

beforeAll(async () => {
  lifecycle = await lifecycleHarness('deletion');
  await lifecycle.start();
});

afterAll(async () => {
  await lifecycle?.stop();
});

function deletion(secondsFromNow: number) {
  const userId = `user-${randomUUID()}`;
  const deletionRequestId = `del-${randomUUID()}`;
  const purgeAt = new Date(Date.now() + secondsFromNow * 1000);
  return {
    userId,
    deletionRequestId,
    purgeAt,
    requested: (id?: string) =>
      identityEvent(
        'DeletionRequested',
        { userId, email: `${userId}@example.test`, deletionRequestId, purgeAt: purgeAt.toISOString() },
        id ? { id } : {},
      ),
    cancelled: () => identityEvent('DeletionCancelled', { userId, deletionRequestId }),
    deleted: () => identityEvent('UserDeleted', { userId, email: `${userId}@example.test`, deletionRequestId }),
  };
}

const expiredFor = (requestId: string) => (data: Record<string, unknown>) => data.deletionRequestId === requestId;

function purgeJobsOf(userId: string) {
  return lifecycle.db.collection('agendaJobs').countDocuments({ name: PURGE_JOB, 'data.userId': userId });
}

it('publishes DeletionGracePeriodExpired once the grace period ends, not before', async () => {
  const request = deletion(3);
  await lifecycle.publish(request.requested());

  const [event] = await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(request.deletionRequestId));
  expect(event!.data).toEqual({ userId: request.userId, deletionRequestId: request.deletionRequestId });
  expect(event!.subject).toBe(request.userId);
  expect(Date.parse(event!.time)).toBeGreaterThanOrEqual(request.purgeAt.getTime());
});

it('makes one job for a redelivered or repeated DeletionRequested, and publishes once', async () => {
  const request = deletion(4);
  const first = request.requested();
  // The same event twice (redelivery) and the same request under a new event id (a republished outbox entry).
  await lifecycle.publish(first, first, request.requested());
  await waitFor(async () => ((await purgeJobsOf(request.userId)) === 1 ? true : undefined), { what: 'the purge job' });
  const marker = deletion(6);
  await lifecycle.publish(marker.requested());

  await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(marker.deletionRequestId));
  expect(
    lifecycle.eventsOf('DeletionGracePeriodExpired').filter((e) => e.data.deletionRequestId === request.deletionRequestId),
  ).toHaveLength(1);
  expect(await purgeJobsOf(request.userId)).toBe(1);
});

it('never publishes for a cancelled request, even when the request is redelivered after the cancellation', async () => {
  const request = deletion(3);
  const requested = request.requested();
  await lifecycle.publish(requested);
  await waitFor(async () => ((await purgeJobsOf(request.userId)) === 1 ? true : undefined), { what: 'the purge job' });
  await lifecycle.publish(request.cancelled(), request.requested());
  await waitFor(async () => ((await purgeJobsOf(request.userId)) === 0 ? true : undefined), { what: 'the job to be cancelled' });
  // A request due after the cancelled one, on the same partition: once it is out, the cancelled one would have been too.
  const marker = deletion(5);
  await lifecycle.publish(identityEvent('DeletionRequested', { ...marker.requested().data, userId: request.userId }));

  await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(marker.deletionRequestId));
  expect(lifecycle.eventsOf('DeletionGracePeriodExpired').filter((e) => e.data.deletionRequestId === request.deletionRequestId)).toEqual(
    [],
  );
  const record = await lifecycle.db.collection('pending_deletions').findOne({ _id: request.deletionRequestId as never });
  expect(record).toMatchObject({ status: 'cancelled' });
  expect(record).not.toHaveProperty('userId');
});

it('still publishes, once, when lifecycle was stopped over purgeAt', async () => {
  const request = deletion(6);
  await lifecycle.publish(request.requested());
  await waitFor(async () => ((await purgeJobsOf(request.userId)) === 1 ? true : undefined), { what: 'the purge job' });
  await lifecycle.stopService();
  await waitFor(() => (Date.now() > request.purgeAt.getTime() + 1_000 ? true : undefined), { what: 'purgeAt to pass', timeoutMs: 10_000 });
  expect(lifecycle.eventsOf('DeletionGracePeriodExpired').filter((e) => e.data.deletionRequestId === request.deletionRequestId)).toEqual(
    [],
  );

  await lifecycle.start();
  await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(request.deletionRequestId));
  // Anything published twice would be out by the time a later job has run.
  const marker = deletion(2);
  await lifecycle.publish(marker.requested());
  await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(marker.deletionRequestId));
  expect(
    lifecycle.eventsOf('DeletionGracePeriodExpired').filter((e) => e.data.deletionRequestId === request.deletionRequestId),
  ).toHaveLength(1);
});

it('republishes, from the sweep, an overdue deletion whose job was lost; none once the user is deleted', async () => {
  const request = deletion(3600);
  await lifecycle.publish(request.requested());
  await waitFor(async () => ((await purgeJobsOf(request.userId)) === 1 ? true : undefined), { what: 'the purge job' });
  await lifecycle.db.collection('agendaJobs').deleteMany({ name: PURGE_JOB, 'data.userId': request.userId });
  lifecycle.setClock(new Date(request.purgeAt.getTime() + 60_000));
  try {
    await lifecycle.service.runJobNow('deletion-sweep');
    await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(request.deletionRequestId));

    await lifecycle.publish(request.deleted());
    await waitFor(
      async () =>
        (await lifecycle.db.collection('pending_deletions').findOne({ _id: request.deletionRequestId as never }))?.status === 'done'
          ? true
          : undefined,
      { what: 'the deletion to be marked done' },
    );
    // Another overdue deletion, so the second sweep has something to publish: once it is out, the sweep has run.
    const marker = deletion(3600);
    await lifecycle.publish(marker.requested());
    await waitFor(async () => ((await purgeJobsOf(marker.userId)) === 1 ? true : undefined), { what: 'the marker job' });
    await lifecycle.service.runJobNow('deletion-sweep');
    await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(marker.deletionRequestId));
    expect(
      lifecycle.eventsOf('DeletionGracePeriodExpired').filter((e) => e.data.deletionRequestId === request.deletionRequestId),
    ).toHaveLength(1);
  } finally {
    lifecycle.setClock(new Date());
  }
});

it('keeps nothing personal about a deleted user', async () => {
  const request = deletion(1);
  await lifecycle.publish(request.requested());
  await lifecycle.waitForEvents('DeletionGracePeriodExpired', expiredFor(request.deletionRequestId));
  await lifecycle.publish(request.deleted());

  await waitFor(
    async () => {
      const found: string[] = [];
      for (const { name } of await lifecycle.db.db!.listCollections().toArray()) {
        for (const doc of await lifecycle.db.collection(name).find({}).toArray()) {
          const text = JSON.stringify(doc);
          if (text.includes(request.userId)) found.push(`${name}: ${text}`);
        }
      }
      return found.length === 0 ? true : undefined;
    },
    { what: 'the user id to be gone from every collection' },
  );
});
