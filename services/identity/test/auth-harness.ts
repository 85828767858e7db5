import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics, fromKafkaMessage, isEvent, registry, type AnyCloudEvent } from '@solar/contracts';
import { ensureTopics, type Env, type Logger, type Service } from '@solar/chassis';
import { KafkaCollector, waitForEmptyOutboxes, type CollectedMessage } from '@solar/chassis/testing';
import { createIdentityService } from '../src/main';
import { emailVariables, identityTestEnv, specFetch } from './identity-test-env';

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

const TOPICS = [Topics.identityUser, Topics.identityUserState, Topics.identitySecurity, Topics.notificationEmailRequests];

/**
 * One identity service on the shared test servers, for a test file of the sign-in family: its own
 * database and topic prefix, a clock the test moves, a collector on every topic identity writes, and
 * small HTTP helpers. Helpers return the raw Response so each test asserts status and body itself.
 */
export class AuthHarness {
  readonly infra;
  readonly name;
  readonly env: Env;
  readonly topic: (base: string) => string;
  now = new Date('2026-03-01T10:00:00Z');
  readonly collector: KafkaCollector;
  baseUrl = '';
  /** The service's Prometheus endpoint, for tests that read a counter. */
  metricsUrl = '';
  private api: typeof fetch = fetch;
  db!: Connection;
  private service: Service | undefined;

  constructor(
    label: string,
    extra: Env = {},
    private readonly logger?: Logger,
  ) {
    ({ infra: this.infra, name: this.name, env: this.env, topic: this.topic } = identityTestEnv(label, extra));
    this.collector = new KafkaCollector(this.infra.kafkaBrokers, TOPICS.map(this.topic));
  }

  readonly clock = () => this.now;

  /** Moves the injected clock forward. */
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  async start(): Promise<void> {
    const kafka = new Kafka({ brokers: this.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, TOPICS.map(this.topic));
    await this.startService();
    await this.collector.start();
    this.db = await mongoose.createConnection(this.env.MONGO_URL!).asPromise();
  }

  /** (Re)starts the service, optionally with other variables on the same database and topics. */
  async startService(extra: Env = {}): Promise<void> {
    const service = createIdentityService(
      { ...this.env, ...extra },
      { clock: this.clock, ...(this.logger ? { logger: this.logger } : {}) },
    );
    const { port, metricsPort } = await service.start();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    this.api = specFetch(this.baseUrl);
    this.service = service;
  }

  async stopService(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    await service?.stop();
  }

  async stop(): Promise<void> {
    await this.collector.stop();
    await this.stopService();
    await this.db?.close();
  }

  address(label: string): string {
    return `${label}.${this.name}@example.test`.toLowerCase();
  }

  request(
    path: string,
    init: { method?: string; body?: unknown; form?: Record<string, string>; token?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    return this.api(`${this.baseUrl}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  }

  register(email: string, password: string) {
    return this.request('/auth/register', { body: { email, password } });
  }

  login(email: string, password: string, headers: Record<string, string> = {}) {
    return this.request('/auth/login', { body: { email, password }, headers });
  }

  refresh(refreshToken: string) {
    return this.request('/auth/token/refresh', { body: { refresh_token: refreshToken } });
  }

  sessions(accessToken: string) {
    return this.request('/users/me/sessions', { token: accessToken });
  }

  logout(accessToken: string, body?: unknown) {
    return this.request('/auth/logout', { method: 'POST', token: accessToken, ...(body === undefined ? {} : { body }) });
  }

  /** Registers an account and waits until it exists. */
  async registered(label: string, password = 'a perfectly good password'): Promise<{ email: string; password: string; userId: string }> {
    const email = this.address(label);
    const response = await this.register(email, password);
    if (response.status !== 201) throw new Error(`register answered ${response.status}`);
    const user = await this.db.collection('users').findOne({ email });
    return { email, password, userId: String(user!._id) };
  }

  /** Signs in and returns the token response; fails loudly on anything but 200. */
  async signedIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Tokens> {
    const response = await this.login(email, password, headers);
    if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Tokens;
  }

  /** Events of one type whose data matches the predicate, as decoded CloudEvents. */
  events<T extends keyof typeof registry>(type: T, match: (data: Record<string, unknown>) => boolean = () => true) {
    return (m: CollectedMessage) => {
      if (m.message.headers?.ce_type?.toString() !== registry[type].type) return false;
      const event = fromKafkaMessage(m.message);
      return match(event.data);
    };
  }

  async waitForEvents<T extends keyof typeof registry>(type: T, match: (data: Record<string, unknown>) => boolean, count = 1) {
    const found = await this.collector.waitForCount(this.events(type, match), count);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- lets callers read any data field (the union has none in common); tsc fails without it
    return found.map((m) => ({ topic: m.topic, event: fromKafkaMessage(m.message) as AnyCloudEvent & { data: Record<string, unknown> } }));
  }

  received<T extends keyof typeof registry>(type: T, match: (data: Record<string, unknown>) => boolean = () => true) {
    return (
      this.collector.messages
        .filter(this.events(type, match))
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- lets callers read any data field (the union has none in common); tsc fails without it
        .map((m) => fromKafkaMessage(m.message) as AnyCloudEvent & { data: Record<string, unknown> })
    );
  }

  /**
   * Waits until identity has published everything it has recorded so far, and the collector has read
   * it all: no outbox in the database holds an entry, and every partition is read to its end. An
   * event missing after this was never written, which a marker on another key cannot prove.
   */
  async allPublished(): Promise<void> {
    await waitForEmptyOutboxes(this.db);
    await this.collector.caughtUp();
  }

  /** Follows the verification link emailed to this address (two-factor setup needs a verified address). */
  async verifyEmail(email: string): Promise<void> {
    const response = await this.request('/auth/verify-email', { body: { token: await this.verificationTokenFor(email) } });
    if (response.status !== 200) throw new Error(`verify-email answered ${response.status}: ${await response.text()}`);
  }

  /** The token in the verification link emailed to this address. */
  async verificationTokenFor(email: string): Promise<string> {
    const [found] = await this.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'verify-email');
    return new URL(this.emailVariables(found!.event).link!).searchParams.get('token')!;
  }

  /** The variables of an email request with its sealed links opened, as notification reads them. */
  emailVariables(event: AnyCloudEvent): Record<string, string> {
    if (!isEvent(event, 'EmailRequested')) throw new Error('not an email request');
    return emailVariables(event.data);
  }
}

/** The payload of a JWT, unverified: for asserting on what a token says. */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
