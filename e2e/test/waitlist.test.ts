import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics, fromKafkaMessage, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import {
  KafkaCollector,
  Mailpit,
  mongoUrlFor,
  waitFor,
  waitForEmptyOutboxes,
  waitForGroupAtEnd,
  type CollectedMessage,
} from '@solar/chassis/testing';
import { TestStack } from './support/stack';
import { apiClient, expectJson, expectProblem } from './support/api-client';

const stack = new TestStack('waitlist-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const topics = [Topics.identityUser, Topics.identityWaitlist, Topics.notificationEmailRequests].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const ADMIN = address('admin');
const PASSWORD = 'a long and proper password';
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;
let adminToken: string;

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const invites: string[] = [];

const join = (email: string, extra: Record<string, unknown> = {}) => call('/waitlist/join', { body: { email, ...extra } });
const admin = (path: string, body?: unknown) => call(path, { token: adminToken, ...(body === undefined ? {} : { body }) });
const register = (email: string, inviteToken?: string) =>
  call('/auth/register', { body: { email, password: PASSWORD, ...(inviteToken ? { inviteToken } : {}) } });

interface Entry {
  id: string;
  email: string;
  status: string;
  inviteExpiresAt: string | null;
  inviteUsedAt: string | null;
}

async function entryOf(email: string): Promise<Entry> {
  const doc = await waitFor(async () => (await db.collection('waitlist_entries').findOne({ email })) ?? undefined, {
    what: `the entry of ${email}`,
  });
  return { id: String(doc._id), email, status: doc.status as string, inviteExpiresAt: null, inviteUsedAt: null };
}

function eventsFor(name: keyof typeof registry, email: string) {
  return (m: CollectedMessage) =>
    m.message.headers?.ce_type?.toString() === registry[name].type &&
    (fromKafkaMessage(m.message).data as { email?: string; to?: string }).email === email;
}

/** Joins, gets approved, and returns the invite token from the emailed link. */
async function invited(label: string): Promise<{ email: string; token: string; entry: Entry }> {
  const email = address(label);
  await expectJson(await join(email), 202);
  const entry = await entryOf(email);
  expect(await expectJson<Entry>(await admin(`/admin/waitlist/${entry.id}/approve`, {}), 200)).toMatchObject({
    id: entry.id,
    status: 'approved',
  });
  const mail = await waitFor(async () => (await mailpit.search(`to:"${email}" subject:"invitation"`))[0], {
    what: `the invitation to ${email}`,
  });
  const message = await mailpit.message(mail.ID);
  const link = /https:\/\/app\.solar\.test\/register\?invite=([A-Za-z0-9_-]{43})/.exec(message.Text);
  expect(link).not.toBeNull();
  invites.push(link![1]!);
  return { email, token: link![1]!, entry };
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  // The documented bootstrap: in open mode the listed address registers and verifies, which makes it
  // admin; then identity runs invite-only, where the admin approves the first invite.
  await stack.startIdentity({ REGISTRATION_MODE: 'open', ADMIN_EMAILS: ADMIN }, { clock });
  await stack.signUpVerified(ADMIN, PASSWORD);
  await stack.stopService('identity');
  await stack.startIdentity({ REGISTRATION_MODE: 'waitlist', ADMIN_EMAILS: ADMIN }, { clock });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  adminToken = (await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email: ADMIN, password: PASSWORD } }), 200))
    .access_token;
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
  await db?.close();
});

describe('waitlist and invite-only registration through the gateway', () => {
  it('answers byte for byte the same for a new and a listed address, and announces only the new one', async () => {
    const email = address('Lovelace');
    const first = await join(`  ${email.toUpperCase()} `, { name: 'Ada', captchaToken: 'ignored by identity' });
    const again = await join(email);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await again.text()).toBe(await first.text());

    const [joined] = await collector.waitForCount(eventsFor('WaitlistJoined', email), 1);
    const entry = await entryOf(email);
    expect(fromKafkaMessage(joined!.message).data).toEqual({ waitlistEntryId: entry.id, email });
    await waitFor(async () => (await mailpit.search(`to:"${email}" subject:"waitlist"`))[0], { what: 'the waitlist-joined email' });
    // A second announcement would carry a fresh entry id as its key, so no marker shares its partition:
    // wait instead until identity has published all it recorded, the collector has read every
    // partition to its end, and notification has handled every email request on the topic.
    await waitForEmptyOutboxes(db);
    await collector.caughtUp();
    await waitForGroupAtEnd(stack.infra.kafkaBrokers, stack.topic('notification'), [stack.topic(Topics.notificationEmailRequests)]);
    expect(collector.messages.filter(eventsFor('WaitlistJoined', email))).toHaveLength(1);
    expect(await mailpit.search(`to:"${email}"`)).toHaveLength(1);
  });

  it('refuses registration without an invite in waitlist mode', async () => {
    await expectProblem(await register(address('uninvited')), 403, 'invite_required');
    await expectProblem(await register(address('uninvited'), 'x'), 400, 'token_malformed');
    await expectProblem(await register(address('uninvited'), 'A'.repeat(43)), 400, 'token_invalid');
  });

  it('approves an entry with an emailed invite that registers that address once', async () => {
    const { email, token, entry } = await invited('grace');
    const [approved] = await collector.waitForCount(eventsFor('WaitlistApproved', email), 1);
    const event = fromKafkaMessage(approved!.message);
    expect(event.data).toMatchObject({ waitlistEntryId: entry.id, email, inviteExpiresAt: expect.any(String) });
    expect(JSON.stringify(event)).not.toContain(token);

    await expectProblem(await register(address('someone-else'), token), 403, 'invite_mismatch');
    expect(await expectJson(await register(email, token), 201)).toMatchObject({ status: 'verification_pending' });
    const [registered] = await collector.waitForCount(eventsFor('UserRegistered', email), 1);
    expect(fromKafkaMessage(registered!.message).data).toMatchObject({ registrationMode: 'waitlist', waitlistEntryId: entry.id });
    await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);

    await expectProblem(await register(email, token), 400, 'token_used');
    const [listed] = (await expectJson<{ items: Entry[] }>(await admin('/admin/waitlist?status=approved&limit=100'), 200)).items.filter(
      (e) => e.id === entry.id,
    );
    expect(listed).toMatchObject({ status: 'approved', inviteUsedAt: expect.any(String) });
  });

  it('refuses a second decision on an entry with a 409', async () => {
    const { entry } = await invited('twice');
    expect(await expectJson(await admin(`/admin/waitlist/${entry.id}/approve`, {}), 409)).toMatchObject({
      code: 'conflict',
      entryStatus: 'approved',
    });
    await expectProblem(await admin(`/admin/waitlist/${entry.id}/reject`, {}), 409, 'conflict');

    const email = address('rejected');
    await expectJson(await join(email), 202);
    const rejected = await entryOf(email);
    expect(await expectJson(await admin(`/admin/waitlist/${rejected.id}/reject`, {}), 200)).toMatchObject({
      status: 'rejected',
      inviteExpiresAt: null,
    });
    await expectProblem(await admin(`/admin/waitlist/${rejected.id}/approve`, {}), 409, 'conflict');
    await expectProblem(await admin('/admin/waitlist/no-such-entry/approve', {}), 404, 'not_found');
  });

  it('lets approvals race: exactly one lands', async () => {
    const email = address('race');
    await expectJson(await join(email), 202);
    const entry = await entryOf(email);
    const answers = await Promise.all([1, 2, 3].map(() => admin(`/admin/waitlist/${entry.id}/approve`, {})));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  });

  it('lists entries by status in pages, for admins only', async () => {
    for (const label of ['page-1', 'page-2', 'page-3']) await expectJson(await join(address(label)), 202);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/admin/waitlist?status=pending&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Entry[]; nextCursor: string | null } = await expectJson(await admin(query), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) expect(item.status).toBe('pending');
      seen.push(...page.items.map((e) => e.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining([address('page-1'), address('page-2'), address('page-3')]));
    expect(new Set(seen).size).toBe(seen.length);

    await expectProblem(await admin('/admin/waitlist?cursor=garbage!'), 400, 'validation_failed');
    await expectProblem(await admin('/admin/waitlist?status=maybe'), 400, 'validation_failed');
    await expectProblem(await call('/admin/waitlist'), 401, 'unauthorized');
    const { email, token } = await invited('plain-user');
    await expectJson(await register(email, token), 201);
    const userToken = (await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200))
      .access_token;
    await expectProblem(await call('/admin/waitlist', { token: userToken }), 403, 'forbidden');
  });

  it('refuses bad join bodies with a problem', async () => {
    await expectProblem(await join('not an address'), 400, 'validation_failed');
    await expectProblem(await call('/waitlist/join', { body: {} }), 400, 'validation_failed');
  });

  it('keeps no invite token in clear in the database', async () => {
    const documents: unknown[] = [];
    for (const { name } of await db.db!.listCollections().toArray()) documents.push(...(await db.collection(name).find({}).toArray()));
    const raw = JSON.stringify(documents);
    expect(invites.length).toBeGreaterThan(2);
    expect(invites.filter((token) => raw.includes(token))).toEqual([]);
  });

  it('refuses an invite once it has expired', async () => {
    const { email, token } = await invited('late');
    offsetMs += 7 * 86_400_000 + 1_000;
    await expectProblem(await register(email, token), 400, 'token_expired');
  });
});
