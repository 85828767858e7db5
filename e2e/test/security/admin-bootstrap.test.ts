/**
 * Security review, finding 1: an address in ADMIN_EMAILS made whoever registered it first an admin,
 * before anyone had shown they hold its mailbox, and in waitlist mode it registered without an invite
 * where other addresses were refused, which told an attacker which addresses are listed. The attack,
 * through the gateway against the real services: register the listed address without its mailbox.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient } from '../support/api-client';

const PASSWORD = 'a long and proper password';
const open = new TestStack('admin-bootstrap-open');
const invitesOnly = new TestStack('admin-bootstrap-waitlist');
const mailpit = new Mailpit(open.infra.mailpitUrl);
const LISTED = `boss.${open.name}@example.test`.toLowerCase();
const LISTED_ON_WAITLIST = `boss.${invitesOnly.name}@example.test`.toLowerCase();
const urls = { open: '', invitesOnly: '' };

const viaOpen = apiClient(open, () => urls.open);
const viaWaitlist = apiClient(invitesOnly, () => urls.invitesOnly);

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function signIn(email: string): Promise<string> {
  const response = await viaOpen('/auth/login', { body: { email, password: PASSWORD } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The admin routes of identity (users, audit log) and of lifecycle (the chassis's requireAdmin). */
const ADMIN_ROUTES = ['/admin/users', '/admin/audit-log', '/admin/jobs'];

beforeAll(async () => {
  const kafka = new Kafka({ brokers: open.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [open, invitesOnly].flatMap((stack) =>
      [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests, Topics.lifecycle].map((t) => stack.topic(t)),
    ),
  );
  await open.startIdentity({ REGISTRATION_MODE: 'open', ADMIN_EMAILS: LISTED });
  await open.startNotification();
  await open.startLifecycle();
  urls.open = (await open.startGateway()).url;
  await invitesOnly.startIdentity({ REGISTRATION_MODE: 'waitlist', ADMIN_EMAILS: LISTED_ON_WAITLIST });
  urls.invitesOnly = (await invitesOnly.startGateway()).url;
});

afterAll(async () => {
  await open.stop();
  await invitesOnly.stop();
});

describe('admin by registration', () => {
  it('gives a listed address registered without its mailbox no admin role and no admin route', async () => {
    expect((await viaOpen('/auth/register', { body: { email: LISTED, password: PASSWORD } })).status).toBe(201);
    const squatter = await signIn(LISTED);
    expect(claimsOf(squatter)).toMatchObject({ roles: ['user'], email_verified: false });
    for (const route of ADMIN_ROUTES) {
      const response = await viaOpen(route, { token: squatter });
      expect([route, response.status]).toEqual([route, 403]);
      expect(await response.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it('makes the listed address admin once the emailed link is followed', async () => {
    const mail = await waitFor(async () => (await mailpit.search(`to:"${LISTED}" subject:"confirm"`))[0], {
      what: 'the verification email',
    });
    const link = /https:\/\/app\.solar\.test\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec((await mailpit.message(mail.ID)).Text);
    expect((await viaOpen('/auth/verify-email', { body: { token: link![1] } })).status).toBe(200);
    const owner = await signIn(LISTED);
    expect(claimsOf(owner)).toMatchObject({ roles: ['user', 'admin'], email_verified: true });
    for (const route of ADMIN_ROUTES) expect([route, (await viaOpen(route, { token: owner })).status]).toEqual([route, 200]);
  });

  it('answers a listed address without an invite in waitlist mode exactly as any other address', async () => {
    const other = `nobody.${invitesOnly.name}@example.test`.toLowerCase();
    for (const inviteToken of [undefined, 'A'.repeat(43)]) {
      const answers = await Promise.all(
        [LISTED_ON_WAITLIST, other].map(async (email) => {
          const response = await viaWaitlist('/auth/register', {
            body: { email, password: PASSWORD, ...(inviteToken ? { inviteToken } : {}) },
          });
          // The request id differs per request by design; everything else must match.
          const { requestId: _requestId, ...body } = (await response.json()) as Record<string, unknown>;
          return { status: response.status, body };
        }),
      );
      expect(answers[0]!.status).toBe(inviteToken ? 400 : 403);
      expect(answers[0]).toEqual(answers[1]);
    }
  });
});
