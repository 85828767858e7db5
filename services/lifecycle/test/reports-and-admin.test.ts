/**
 * The daily report counted from events (identity's and notification's), stored, published and
 * readable by admins; and the admin routes' authentication.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import { waitFor } from '@solar/chassis/testing';
import { identityEvent, lifecycleHarness, type LifecycleHarness } from './support/lifecycle-harness';

let lifecycle: LifecycleHarness;

beforeAll(async () => {
  lifecycle = await lifecycleHarness('reports');
  await lifecycle.start();
});

afterAll(async () => {
  await lifecycle?.stop();
});

async function get(path: string, token?: string) {
  const response = await lifecycle.fetch(`${lifecycle.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
}

function eventsOn(day: string): AnyCloudEvent[] {
  const time = (hour: string) => new Date(`${day}T${hour}:00:00.000Z`);
  const user = () => `user-${randomUUID()}`;
  const delivery = (name: 'EmailSent' | 'EmailFailed', hour: string) =>
    name === 'EmailSent'
      ? createEvent('EmailSent', {
          source: '/notification',
          subject: randomUUID(),
          time: time(hour),
          data: {
            emailRequestId: randomUUID(),
            template: 'verify-email',
            provider: 'smtp',
            providerMessageId: `<${randomUUID()}@test>`,
            attempts: 1,
          },
        })
      : createEvent('EmailFailed', {
          source: '/notification',
          subject: randomUUID(),
          time: time(hour),
          data: { emailRequestId: randomUUID(), template: 'verify-email', reason: 'rejected', permanent: true, attempts: 1 },
        });
  const registered = (hour: string) => {
    const userId = user();
    return identityEvent(
      'UserRegistered',
      { userId, email: `${userId}@example.test`, roles: ['user'], registrationMode: 'open' },
      { time: time(hour) },
    );
  };
  const verified = (hour: string) => {
    const userId = user();
    return identityEvent('EmailVerified', { userId, email: `${userId}@example.test` }, { time: time(hour) });
  };
  const deleted = (hour: string) => {
    const userId = user();
    return identityEvent('UserDeleted', { userId, email: `${userId}@example.test`, deletionRequestId: randomUUID() }, { time: time(hour) });
  };
  return [
    registered('00'),
    registered('12'),
    registered('23'),
    verified('09'),
    verified('10'),
    deleted('13'),
    delivery('EmailSent', '01'),
    delivery('EmailSent', '02'),
    delivery('EmailSent', '03'),
    delivery('EmailSent', '04'),
    delivery('EmailFailed', '05'),
  ];
}

it('counts the previous UTC day by event time, stores the report, publishes it and serves it to admins', async () => {
  const reported = eventsOn('2026-05-31');
  const redelivered = reported[0]!;
  // Events of the days around it must not count.
  const around = [eventsOn('2026-05-30')[0]!, eventsOn('2026-06-01')[6]!];
  await lifecycle.publish(...reported, redelivered, ...around);
  await waitFor(
    async () => ((await lifecycle.db.collection('counted_events').countDocuments()) === reported.length + around.length ? true : undefined),
    {
      what: 'every event to be counted',
    },
  );

  lifecycle.setClock(new Date('2026-06-01T00:10:00.000Z'));
  try {
    await lifecycle.service.runJobNow('daily-report');
    const [event] = await lifecycle.waitForEvents('DailyReportGenerated', (data) => data.date === '2026-05-31');
    const counts = { registrations: 3, verifications: 2, deletionRequests: 0, deletions: 1, emailsSent: 4, emailsFailed: 1 };
    // The test moves lifecycle's clock, which goes on ticking from there.
    const generatedAt = expect.stringMatching(/^2026-06-01T00:10:/);
    expect(event!.data).toEqual({ date: '2026-05-31', counts, generatedAt });

    const admin = lifecycle.issuer.token(['user', 'admin']);
    expect(await get('/admin/reports/daily?date=2026-05-31', admin)).toMatchObject({
      status: 200,
      body: { date: '2026-05-31', counts, generatedAt: (event!.data as { generatedAt: string }).generatedAt },
    });
    expect(await get('/admin/reports/daily?date=2026-04-01', admin)).toMatchObject({ status: 404, body: { code: 'not_found' } });
  } finally {
    lifecycle.setClock(new Date());
  }
});

it('answers a malformed date with 400 problem+json', async () => {
  const admin = lifecycle.issuer.token(['admin']);
  for (const query of ['', '?date=yesterday', '?date=2026-02-30', '?date[$gt]=2026-01-01']) {
    const response = await get(`/admin/reports/daily${query}`, admin);
    expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(response.type).toContain('application/problem+json');
  }
});

it('lists upcoming, running and failed jobs for admins, without job data', async () => {
  const userId = `user-${randomUUID()}`;
  await lifecycle.publish(
    identityEvent('DeletionRequested', {
      userId,
      email: `${userId}@example.test`,
      deletionRequestId: randomUUID(),
      purgeAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  );
  const admin = lifecycle.issuer.token(['admin']);
  const listed = await waitFor(
    async () => {
      const response = await get('/admin/jobs', admin);
      const listedIn = (key: 'upcoming' | 'summary') =>
        (response.body[key] as { name: string }[]).some((job) => job.name === 'deletion-grace-period-expired');
      return listedIn('upcoming') && listedIn('summary') ? response : undefined;
    },
    { what: 'the purge job to be listed' },
  );

  expect(listed.status).toBe(200);
  expect(listed.body).toMatchObject({ running: expect.any(Array), failed: expect.any(Array) });
  expect(listed.body.upcoming).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'deletion-sweep', state: 'repeating', schedule: '0 2 * * *', failures: 0, lastError: null }),
      expect.objectContaining({ name: 'deletion-grace-period-expired', state: 'scheduled', schedule: null }),
    ]),
  );
  expect(listed.body.summary).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'deletion-grace-period-expired', upcoming: 1 })]),
  );
  expect(JSON.stringify(listed.body)).not.toContain(userId);
  expect(await get('/admin/jobs?state=failed', admin)).toMatchObject({ status: 200, body: { failed: [] } });
  expect(await get('/admin/jobs?state=everything', admin)).toMatchObject({ status: 400 });
});

it.each(['/admin/jobs', '/admin/reports/daily?date=2026-05-31'])(
  'refuses %s without a token (401) and to non-admins (403)',
  async (path) => {
    expect(await get(path)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(await get(path, 'not-a-token')).toMatchObject({ status: 401 });
    expect(await get(path, lifecycle.issuer.token(['user']))).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  },
);
