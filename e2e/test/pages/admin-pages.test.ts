import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { Types, type Connection } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { mongoUrlFor, waitFor } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// The admin pages on the whole stack, in Debian's Chromium: an admin (ADMIN_EMAILS) finds an account
// and acts on it, decides a waitlist entry and looks at lifecycle's jobs, with and without
// JavaScript; a stale sign-in is sent to sign in again and back; a non-admin gets the 403 page.
// Identity runs on a clock the test moves, so ADMIN_REAUTH_WINDOW passes without sleeping.

jest.setTimeout(240_000);

const stack = new TestStack('web-admin');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';
const ADMIN = `admin.${stack.name}@example.test`.toLowerCase();
const time = new TotpClock();
const FAILED_JOB_ERROR = 'The broker did not answer (seeded by the test)';
// SendGrid's event webhook, signed as SendGrid signs it, suppresses an address for real.
const sendgrid = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let gatewayUrl: string;
let browser: Browser;
let lifecycleDb: Connection;
let receiver: Server;
const call = apiClient(stack, () => gatewayUrl);
const problems: string[] = [];

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identityWaitlist, Topics.notificationEmailRequests, Topics.notificationDeliveries, Topics.lifecycle].map(
      (topic) => stack.topic(topic),
    ),
  );
  await stack.startIdentity({ ADMIN_EMAILS: ADMIN }, { clock: time.now });
  await stack.signUpVerified(ADMIN, PASSWORD);
  // The webhook receiver is on loopback, which the destination guard refuses unless opened.
  await stack.startNotification({
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  });
  // Due jobs are taken within half a second: the retried job runs while the test looks.
  await stack.startLifecycle({ JOBS_PROCESS_EVERY: '500ms' });
  const webUrl = await stack.reserveWebUrl();
  gatewayUrl = (await stack.startGateway({ WEB_URL: webUrl })).url;
  await stack.startWeb();
  // A job that failed for good, as Agenda leaves it (failedAt at its last finish, no next run), so
  // the jobs page has a failure to show whatever the real jobs do meanwhile.
  lifecycleDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-lifecycle`)).asPromise();
  const failedAt = new Date();
  await lifecycleDb.collection('agendaJobs').insertOne({
    name: 'deletion-grace-period-expired',
    type: 'normal',
    priority: 0,
    data: {},
    nextRunAt: null,
    lastRunAt: failedAt,
    lastFinishedAt: failedAt,
    failedAt,
    failCount: 5,
    failReason: FAILED_JOB_ERROR,
  });
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
  pages.ready(gatewayUrl, browser);
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await browser?.close();
  await lifecycleDb?.close();
  await stack.stop();
  expect(problems).toEqual([]);
});

/**
 * A purge job as lifecycle would run it, but whose data names its deletion request with something
 * no request id can be: the real job throws at once (mongoose cannot cast it), as a corrupt job would.
 */
async function purgeJobThatFails(): Promise<string> {
  const { insertedId } = await lifecycleDb.collection('agendaJobs').insertOne({
    name: 'deletion-grace-period-expired',
    type: 'normal',
    priority: 0,
    data: { userId: `user-${stack.name}`, deletionRequestId: { not: 'a request id' } },
    nextRunAt: new Date(),
  });
  return insertedId.toHexString();
}

/** The failing job's cause mended: its request is one lifecycle does not track, so there is nothing to purge. */
async function mend(id: string): Promise<void> {
  await lifecycleDb
    .collection('agendaJobs')
    .updateOne({ _id: new Types.ObjectId(id) }, { $set: { 'data.deletionRequestId': `request-${stack.name}` } });
}

/** A verified account made through the API, and its access token. */
async function account(label: string): Promise<{ email: string; token: string }> {
  const email = pages.address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const token = new URL(await pages.emailedLink(email, '/verify-email')).searchParams.get('token');
  await expectJson(await call('/auth/verify-email', { body: { token } }), 200);
  const tokens = await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  return { email, token: tokens.access_token };
}

/** Two-factor turned on through the API, with the code of identity's clock. */
async function withTwoFactor(token: string): Promise<void> {
  const { secret } = await expectJson<{ secret: string }>(await call('/auth/2fa/enable', { token, body: { password: PASSWORD } }), 200);
  await expectJson(await call('/auth/2fa/verify', { token, body: { password: PASSWORD, code: await time.codeAt(secret) } }), 200);
}

/** A hard bounce of `email` as SendGrid reports it, through the gateway. */
async function bounced(email: string): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = JSON.stringify([
    { email, event: 'bounce', type: 'bounce', timestamp: Number(timestamp), sg_event_id: randomUUID(), reason: '550 5.1.1 no such user' },
  ]);
  const signature = sign('sha256', Buffer.from(timestamp + body), { key: sendgrid.privateKey, dsaEncoding: 'der' }).toString('base64');
  const response = await fetch(`${gatewayUrl}/v1/webhooks/email/sendgrid`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': signature,
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
  });
  expect(await expectJson(response, 200)).toEqual({ recorded: 1, suppressed: 1 });
}

const statusText = (page: Page) => page.getByRole('status').textContent();

/** From the header's link through the search to the account's page. */
async function openAccount(page: Page, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.waitForURL(`${gatewayUrl}/admin/users`);
  await page.getByLabel('Email address, or part of it').fill(email);
  await submit(page, 'Search');
  await page.getByRole('link', { name: email }).click();
  await expect(h1(page)).resolves.toBe(email);
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the admin pages %s', (label, javaScriptEnabled) => {
  const shot = (name: string) => `admin-${name}${javaScriptEnabled ? '' : '-nojs'}`;

  it('find an account, disable and enable it, reset its two-factor', async () => {
    const target = await account('target');
    await withTwoFactor(target.token);
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      if (javaScriptEnabled) {
        await page.goto(`${gatewayUrl}/admin/users?${new URLSearchParams({ q: target.email }).toString()}`);
        await expect(page.getByRole('link', { name: target.email }).count()).resolves.toBe(1);
        await pages.capture(page, 'admin-users', 'light', problems);
        await page.goto(gatewayUrl);
      }
      await openAccount(page, target.email);
      if (javaScriptEnabled) await pages.capture(page, 'admin-user', 'light', problems);

      await expect(page.locator('#user-two-factor').textContent()).resolves.toBe('On');
      await expect(page.locator('#user-sessions li').count()).resolves.toBe(1);

      await page.getByLabel('Reason, for the audit log (optional)').fill('Reported for spam');
      await submit(page, 'Disable account');
      await expect(statusText(page)).resolves.toBe('The account is disabled.');
      await expect(page.locator('#user-state').textContent()).resolves.toBe('Disabled');
      await expect(page.locator('#user-sessions').count()).resolves.toBe(0);
      const refused = await call('/auth/login', { body: { email: target.email, password: PASSWORD } });
      expect(refused.status).toBe(403);
      await expect(page.locator('#activity').textContent()).resolves.toContain('Account disabled by an administrator');

      // A second tab on the same account, enabled meanwhile in the first: the page says why nothing happened.
      const other = await context.newPage();
      await other.goto(page.url());
      await submit(page, 'Enable account');
      await expect(statusText(page)).resolves.toBe('The account is enabled again.');
      await expect(page.locator('#user-state').textContent()).resolves.toBe('Active');
      await submit(other, 'Enable account');
      await expect(other.getByRole('alert').textContent()).resolves.toBe('That was already done, or is not possible right now.');
      await other.close();

      await submit(page, 'Reset two-step verification');
      await expect(statusText(page)).resolves.toBe('Two-step verification is reset.');
      await expect(page.locator('#user-two-factor').textContent()).resolves.toBe('Off');
      await expect(page.getByRole('button', { name: 'Reset two-step verification' }).count()).resolves.toBe(0);
      // Signing in takes the password alone again.
      const signedIn = await expectJson<Record<string, unknown>>(
        await call('/auth/login', { body: { email: target.email, password: PASSWORD } }),
        200,
      );
      expect(signedIn).toHaveProperty('access_token');
      if (javaScriptEnabled) await pages.capture(page, 'admin-user-done', 'light', problems);
      else await pages.screenshots(page, shot('user-done'), 'light');
    } finally {
      await context.close();
    }
  });

  it('approves a waitlist entry: it leaves the queue and the address gets an invite', async () => {
    const waiting = pages.address('waiting');
    await expectJson(await call('/waitlist/join', { body: { email: waiting } }), 202);
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await page.goto(`${gatewayUrl}/admin/waitlist`);
      await expect(page.locator('#waitlist').textContent()).resolves.toContain(waiting);
      if (javaScriptEnabled) await pages.capture(page, 'admin-waitlist', 'light', problems);
      await submit(page, `Approve ${waiting}`);
      await expect(statusText(page)).resolves.toBe('Approved: an invitation is on its way by email.');
      await expect(page.locator('main').textContent()).resolves.not.toContain(waiting);
      await pages.emailedLink(waiting, '/register');
    } finally {
      await context.close();
    }
  });

  it("shows lifecycle's jobs, the failed one with its error", async () => {
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await page.goto(`${gatewayUrl}/admin/jobs`);
      await expect(h1(page)).resolves.toBe('Jobs');
      // Other tests' jobs may be failing meanwhile: the seeded one is told by its error.
      const failed = page.locator('#jobs-failed li').filter({ hasText: `Last error: ${FAILED_JOB_ERROR}` });
      await expect(failed.textContent()).resolves.toContain('deletion-grace-period-expired');
      await expect(page.locator('#jobs-upcoming').textContent()).resolves.toContain('daily-report');
      if (javaScriptEnabled) await pages.capture(page, 'admin-jobs', 'light', problems);
    } finally {
      await context.close();
    }
  });

  it('retries a failed job: it leaves the failed jobs and runs again', async () => {
    const id = await purgeJobThatFails();
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      const retry = page.locator(`#jobs-failed form[action="/admin/jobs/${id}/retry"]`);
      await waitFor(
        async () => {
          await page.goto(`${gatewayUrl}/admin/jobs`);
          return (await retry.count()) === 1 || undefined;
        },
        { what: 'the failing job in the failed list' },
      );
      await expect(retry.locator('..').locator('..').textContent()).resolves.toContain('Last error: Cast');
      // The cause mended, a retry succeeds.
      await mend(id);
      await Promise.all([page.waitForNavigation(), retry.getByRole('button', { name: 'Retry' }).click()]);
      expect(page.url()).toBe(`${gatewayUrl}/admin/jobs?done=job-retried`);
      await expect(statusText(page)).resolves.toBe('The job is queued to run again now; it leaves the failed jobs.');
      await expect(retry.count()).resolves.toBe(0);
      if (javaScriptEnabled) await pages.capture(page, 'admin-jobs-retried', 'light', problems);
      const ran = await waitFor(
        async () => {
          const job = await lifecycleDb.collection('agendaJobs').findOne({ _id: new Types.ObjectId(id) });
          return job?.lastFinishedAt && !job.failedAt && !job.lockedAt ? job : undefined;
        },
        { what: 'the retried job to run and succeed' },
      );
      const { access_token: token } = await expectJson<{ access_token: string }>(
        await call('/auth/login', { body: { email: ADMIN, password: PASSWORD } }),
        200,
      );
      const { id: adminId } = await expectJson<{ id: string }>(await call('/users/me', { token }), 200);
      expect(ran.data).toMatchObject({ retriedBy: adminId, retriedAt: expect.any(Date) });
      await page.reload();
      await expect(retry.count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });

  it(`${label}: a stale sign-in retrying a job is sent to sign in again, and comes back to the jobs`, async () => {
    const id = await purgeJobThatFails();
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      // Past identity's window before lifecycle first asks identity about this sign-in (it keeps an answer 5 s).
      time.advance(6 * 60_000);
      const retry = page.locator(`#jobs-failed form[action="/admin/jobs/${id}/retry"]`);
      await waitFor(
        async () => {
          await page.goto(`${gatewayUrl}/admin/jobs`);
          return (await retry.count()) === 1 || undefined;
        },
        { what: 'the failing job in the failed list' },
      );
      await Promise.all([page.waitForNavigation(), retry.getByRole('button', { name: 'Retry' }).click()]);
      expect(page.url()).toBe(`${gatewayUrl}/login?done=admin-reauth`);
      await page.getByLabel('Email address').fill(ADMIN);
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Sign in');
      expect(page.url()).toBe(`${gatewayUrl}/admin/jobs`);
      await mend(id);
      await Promise.all([page.waitForNavigation(), retry.getByRole('button', { name: 'Retry' }).click()]);
      await expect(statusText(page)).resolves.toBe('The job is queued to run again now; it leaves the failed jobs.');
    } finally {
      await context.close();
    }
  });

  it(`${label}: a stale sign-in is sent to sign in again, and comes back to the account`, async () => {
    const target = await account('stale');
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await openAccount(page, target.email);
      const accountUrl = page.url();
      // Past identity's ADMIN_REAUTH_WINDOW (5 min), within the access token's 15.
      time.advance(6 * 60_000);
      await submit(page, 'End all sessions');
      expect(page.url()).toBe(`${gatewayUrl}/login?done=admin-reauth`);
      await expect(statusText(page)).resolves.toContain('Administrator actions need a recent sign-in');
      await page.getByLabel('Email address').fill(ADMIN);
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Sign in');
      expect(page.url()).toBe(accountUrl);
      await submit(page, 'End all sessions');
      await expect(statusText(page)).resolves.toBe('Every session of the account has ended.');
    } finally {
      await context.close();
    }
  });
});

describe('email delivery and daily reports', () => {
  it("shows notification's delivery figures and lifecycle's report of a day", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { context, page } = await pages.newPage();
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await page.goto(`${gatewayUrl}/admin/email`);
      await expect(page.locator('#email-providers').textContent()).resolves.toContain('smtp');
      await expect(page.locator('#email-counters').textContent()).resolves.toContain('verify-email');
      await pages.capture(page, 'admin-email', 'light', problems);

      const response = await page.goto(`${gatewayUrl}/admin/reports?date=2020-01-01`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('alert').textContent()).resolves.toBe('We could not find what you asked for.');
      await stack.lifecycle().runJobNow('daily-report');
      const { access_token: token } = await expectJson<{ access_token: string }>(
        await call('/auth/login', { body: { email: ADMIN, password: PASSWORD } }),
        200,
      );
      const report = await waitFor(
        async () => {
          const answer = await call(`/admin/reports/daily?date=${yesterday}`, { token });
          return answer.status === 200 ? ((await answer.json()) as { counts: { registrations: number; emailsSent: number } }) : undefined;
        },
        { what: "yesterday's daily report" },
      );
      await page.goto(`${gatewayUrl}/admin/reports`);
      await expect(page.getByLabel('Day (UTC)').inputValue()).resolves.toBe(yesterday);
      await expect(page.locator('#daily-report').textContent()).resolves.toContain('Sign-ups');
      // The chart: one picture a count, read out day by day; the days lifecycle never counted are gaps.
      const dayBefore = new Date(Date.parse(yesterday) - 86_400_000).toISOString().slice(0, 10);
      await expect(page.locator('#report-chart svg[role="img"]').count()).resolves.toBe(6);
      const signUps = page.getByRole('img', { name: /^Sign-ups\./ });
      await expect(signUps.getAttribute('aria-label')).resolves.toContain(`${yesterday}: ${report.counts.registrations}`);
      await expect(signUps.getAttribute('aria-label')).resolves.toContain(`${dayBefore}: not counted`);
      await expect(page.getByRole('img', { name: /^Emails sent\./ }).getAttribute('aria-label')).resolves.toContain(
        `${yesterday}: ${report.counts.emailsSent}`,
      );
      await expect(page.locator('#report-chart svg').first().locator('rect').count()).resolves.toBe(14);
      await pages.capture(page, 'admin-reports', 'light', problems);
    } finally {
      await context.close();
    }
  });
});

describe('the suppression list', () => {
  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    '%s: lists a bounced address, removes it with a reason after a fresh sign-in, and the account shows it',
    async (_label, javaScriptEnabled) => {
      const { email: address } = await account(`bounced-${javaScriptEnabled ? 'js' : 'nojs'}`);
      await bounced(address);
      const { context, page } = await pages.newPage({ javaScriptEnabled });
      try {
        await pages.signIn(page, ADMIN, PASSWORD);
        await page.goto(`${gatewayUrl}/admin/email`);
        await page.getByLabel('Email address, or part of it').fill(address);
        await submit(page, 'Search');
        const entry = page.locator('#suppressions li').filter({ hasText: address });
        await expect(entry.textContent()).resolves.toContain('Hard bounce');
        await expect(entry.textContent()).resolves.toContain('Reported by sendgrid');
        await expect(page.locator('#bounces').textContent()).resolves.toContain(address);
        if (javaScriptEnabled) await pages.capture(page, 'admin-suppressions', 'light', problems);

        // Past identity's ADMIN_REAUTH_WINDOW: removing wants a fresh sign-in, then comes back here.
        time.advance(6 * 60_000);
        await page.getByLabel(`Why mail to ${address} may be sent again`).fill('Mailbox repaired');
        await submit(page, `Remove ${address} from the suppression list`);
        expect(page.url()).toBe(`${gatewayUrl}/login?done=admin-reauth`);
        await page.getByLabel('Email address').fill(ADMIN);
        await page.getByLabel('Password').fill(PASSWORD);
        await submit(page, 'Sign in');
        expect(page.url()).toBe(`${gatewayUrl}/admin/email`);

        await page.getByLabel(`Why mail to ${address} may be sent again`).fill('Mailbox repaired');
        await submit(page, `Remove ${address} from the suppression list`);
        await expect(statusText(page)).resolves.toBe('The address is off the suppression list: email to it is sent again.');
        await expect(page.locator('#suppressions li').filter({ hasText: address }).count()).resolves.toBe(0);
        const removal = page.locator('#suppression-removals li').filter({ hasText: address });
        await expect(removal.textContent()).resolves.toContain('Mailbox repaired');
        if (javaScriptEnabled) await pages.capture(page, 'admin-suppression-removed', 'light', problems);

        // Identity records it in the account's audit log, from notification's EmailSuppressionRemoved.
        await openAccount(page, address);
        const audit = page.locator('section', { has: page.locator('#audit-heading') });
        await waitFor(
          async () => {
            await page.reload();
            return (await audit.textContent())?.includes('An administrator allowed email to the address again') || undefined;
          },
          { what: "the removal in the account's audit log" },
        );
      } finally {
        await context.close();
      }
    },
  );
});

describe('webhooks', () => {
  it('lists the endpoints, and sends a test event that shows in the delivery log', async () => {
    const { access_token: token } = await expectJson<{ access_token: string }>(
      await call('/auth/login', { body: { email: ADMIN, password: PASSWORD } }),
      200,
    );
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    await expectJson(await call('/admin/webhooks', { token, body: { url, eventTypes: ['UserRegistered'], description: 'The CRM' } }), 201);
    const { context, page } = await pages.newPage();
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await page.goto(`${gatewayUrl}/admin/webhooks`);
      await pages.capture(page, 'admin-webhooks', 'light', problems);
      await page.getByRole('link', { name: url }).click();
      await expect(page.locator('#webhook-state').textContent()).resolves.toBe('Enabled');
      await submit(page, 'Send a test event');
      await expect(statusText(page)).resolves.toBe('A test event is queued; it shows in the deliveries below.');
      await waitFor(
        async () => {
          await page.reload();
          return (await page.locator('#webhook-deliveries').textContent())?.includes('Delivered') || undefined;
        },
        { what: 'the test event delivered' },
      );
      await expect(page.locator('#webhook-deliveries').textContent()).resolves.toContain('WebhookTest');
      await pages.capture(page, 'admin-webhook', 'light', problems);
    } finally {
      await context.close();
    }
  });
});

describe('deleting an account now', () => {
  it('asks for a reason on a confirmation page first', async () => {
    const target = await account('delete');
    const { context, page } = await pages.newPage();
    try {
      await pages.signIn(page, ADMIN, PASSWORD);
      await openAccount(page, target.email);
      await page.getByRole('link', { name: 'Delete now…' }).click();
      await expect(h1(page)).resolves.toBe('Delete this account now');
      await submit(page, 'Delete the account');
      await expect(page.locator('#field-reason-error').textContent()).resolves.toBe('Fill in this field.');
      await pages.capture(page, 'admin-delete', 'light', problems);
      await page.getByLabel('Reason, for the audit log').fill('Asked by its owner over the phone');
      await submit(page, 'Delete the account');
      expect(page.url()).toBe(`${gatewayUrl}/admin/users?done=deleted`);
      await expect(statusText(page)).resolves.toBe('The account is being deleted.');
    } finally {
      await context.close();
    }
  });
});

describe('who may see the admin pages', () => {
  it('sends a signed-out browser to sign in', async () => {
    const { context, page } = await pages.newPage();
    try {
      await page.goto(`${gatewayUrl}/admin/users`);
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  });

  it('answers a signed-in non-admin with the 403 page, and shows no admin link', async () => {
    const plain = await account('plain');
    const { context, page } = await pages.newPage();
    try {
      await pages.signIn(page, plain.email, PASSWORD);
      await expect(page.getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
      for (const path of ['/admin/users', '/admin/waitlist', '/admin/jobs']) {
        const response = await page.goto(`${gatewayUrl}${path}`);
        expect(response?.status()).toBe(403);
        await expect(h1(page)).resolves.toBe('Administrators only');
      }
      await pages.capture(page, 'admin-forbidden', 'light', problems);
    } finally {
      await context.close();
    }
  });
});
