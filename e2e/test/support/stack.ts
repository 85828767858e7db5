import { createGatewayService } from '@solar/gateway';
import { createIdentityService } from '@solar/identity';
import { createNotificationService } from '@solar/notification';
import { createLifecycleService, type LifecycleService } from '@solar/lifecycle';
import { createWebService } from '@solar/web';
import { createServer } from 'node:net';
import { fromKafkaMessage, isEvent, openApiDocument, registry, Topics, type CloudEvent, type EventData } from '@solar/contracts';
import { join } from 'node:path';
import { createSealer, openEmailVariables, parseKeyRing, sealEmailRequest, type Env, type Logger, type Service } from '@solar/chassis';
import {
  KafkaCollector,
  type CollectedMessage,
  mongoUrlFor,
  ServiceProcess,
  testInfra,
  testKeyRing,
  testSigningKeys,
  uniqueName,
  validatingFetch,
  type TestInfra,
} from '@solar/chassis/testing';

const ROOT = join(__dirname, '../../..');

/** The public API's spec, as the gateway builds the one it serves. */
const spec = openApiDocument();

export interface RunningService {
  service: Service;
  url: string;
  /** Where its /metrics listener answers. */
  metricsUrl: string | undefined;
}

/**
 * The services of one test file, started on port 0 against the shared test servers, with databases,
 * topics and consumer groups of the file's own. In-process by default; with `processes: true` each
 * service runs as its own Node process from its compiled entry point (`tsc -b` first), as deployed,
 * so a test can kill it (`process(name)`) and a benchmark can measure it.
 */
export class TestStack {
  readonly infra: TestInfra = testInfra();
  readonly name: string;
  readonly topicPrefix: string;
  private readonly keys = testKeyRing();
  /** EMAIL_LINK_KEYS of identity and notification, a key apart from the data keys as deployed. */
  readonly emailLinkKeys = testKeyRing();
  /** Identity's private signing keys, so tests can mint tokens identity would have signed (expired, other audience). */
  readonly signingKeys = testSigningKeys();
  private readonly running = new Map<string, RunningService>();
  private readonly validators = new Map<string, typeof fetch>();
  /** web's port, chosen before the gateway starts: each needs the other's address. */
  private webPort: number | undefined;

  constructor(
    label: string,
    private readonly options: { processes?: boolean; execArgv?: (service: string) => string[] } = {},
  ) {
    this.name = uniqueName(label);
    this.topicPrefix = `${this.name}.`;
  }

  common(): Env {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      KAFKA_BROKERS: this.infra.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      DATA_ENCRYPTION_KEYS: this.keys,
      HOST: '127.0.0.1',
      PORT: '0',
      // Any free port even where a test fixes the service's own (the gateway's, as an issuer's origin): the
      // default 9464 may be another stack's at that moment.
      METRICS_PORT: '0',
      OUTBOX_SETTLE: '1s',
      OUTBOX_SWEEP_INTERVAL: '500ms',
      SHUTDOWN_TIMEOUT: '5s',
    };
  }

  identityEnv(extra: Env = {}): Env {
    return {
      ...this.common(),
      MONGO_URL: mongoUrlFor(this.infra, `${this.name}-identity`),
      APP_URL: 'https://app.solar.test',
      EMAIL_LINK_KEYS: this.emailLinkKeys,
      JWT_SIGNING_KEYS: this.signingKeys,
      // As deployed: identity believes the client address the gateway's hop forwards, and no other.
      TRUST_PROXY: 'loopback',
      ...extra,
    };
  }

  /** After identity, whose key set (and session introspection) notification checks admin tokens against. */
  notificationEnv(extra: Env = {}): Env {
    const identity = this.running.get('identity');
    return {
      ...this.common(),
      MONGO_URL: mongoUrlFor(this.infra, `${this.name}-notification`),
      // Identity's, which its links are on.
      APP_URL: 'https://app.solar.test',
      EMAIL_LINK_KEYS: this.emailLinkKeys,
      ...(identity ? { IDENTITY_JWKS_URL: `${identity.url}/.well-known/jwks.json` } : {}),
      SMTP_HOST: this.infra.smtpHost,
      SMTP_PORT: this.infra.smtpPort,
      DELIVERY_SWEEP_INTERVAL: '1s',
      ...extra,
    };
  }

  lifecycleEnv(extra: Env = {}): Env {
    const identity = this.running.get('identity');
    return {
      ...this.common(),
      MONGO_URL: mongoUrlFor(this.infra, `${this.name}-lifecycle`),
      ...(identity ? { IDENTITY_JWKS_URL: `${identity.url}/.well-known/jwks.json` } : {}),
      ...extra,
    };
  }

  /** `clock` lets a test move identity's time (token expiry, TOTP steps) instead of sleeping. */
  async startIdentity(extra: Env = {}, overrides: { clock?: () => Date } = {}): Promise<RunningService> {
    if (this.options.processes && overrides.clock) throw new Error('a service process keeps its own clock');
    const env = this.identityEnv(extra);
    return this.start('identity', this.options.processes ? this.processOf('identity', env) : createIdentityService(env, overrides));
  }

  async startNotification(extra: Env = {}): Promise<RunningService> {
    const env = this.notificationEnv(extra);
    return this.start('notification', this.options.processes ? this.processOf('notification', env) : createNotificationService(env));
  }

  /**
   * After identity, whose key set lifecycle checks admin tokens against. Started again after
   * stopService('lifecycle'), it runs on the same database, topics and consumer group, as a restart would.
   */
  async startLifecycle(extra: Env = {}): Promise<RunningService> {
    const env = this.lifecycleEnv(extra);
    return this.start('lifecycle', this.options.processes ? this.processOf('lifecycle', env) : createLifecycleService(env));
  }

  /** The in-process lifecycle service, whose jobs a test can run at once. */
  lifecycle(): LifecycleService {
    const service = this.running.get('lifecycle')?.service;
    if (!service || service instanceof ServiceProcess) throw new Error('lifecycle is not running in-process');
    return service as LifecycleService;
  }

  /** `clock` lets a test move the gateway's time (its caches' bounds) instead of sleeping. */
  async startGateway(extra: Env = {}, overrides: { clock?: () => Date } = {}): Promise<RunningService> {
    if (this.options.processes && overrides.clock) throw new Error('a service process keeps its own clock');
    const identity = this.running.get('identity');
    if (!identity) throw new Error('start identity before the gateway');
    const notification = this.running.get('notification');
    const lifecycle = this.running.get('lifecycle');
    const env: Env = {
      ...this.common(),
      GATEWAY_PORT: '0',
      IDENTITY_URL: identity.url,
      // These flows are about routing; rate limits have the gateway's own tests (rate-limits.test.ts).
      RATE_LIMITS_ENABLED: 'false',
      // Quotas have the gateway's own tests (quotas.test.ts).
      QUOTAS_ENABLED: 'false',
      ...(notification ? { NOTIFICATION_URL: notification.url } : {}),
      ...(lifecycle ? { LIFECYCLE_URL: lifecycle.url } : {}),
      ...extra,
    };
    return this.start('gateway', this.options.processes ? this.processOf('gateway', env) : createGatewayService(env, overrides));
  }

  /**
   * The address web will listen on, for the gateway's WEB_URL: the gateway must know it before it
   * starts, and web the gateway's address (GATEWAY_URL) before it does. A free port is found now and
   * taken by startWeb().
   */
  async reserveWebUrl(): Promise<string> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    this.webPort = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => probe.close(resolve));
    return `http://127.0.0.1:${this.webPort}`;
  }

  /**
   * The account pages, after a gateway started with `WEB_URL: await reserveWebUrl()`: they call the
   * gateway's API and are seen by the browser on the gateway's origin (PUBLIC_URL).
   */
  async startWeb(extra: Env = {}, overrides: { logger?: Logger; clock?: () => Date } = {}): Promise<RunningService> {
    const gateway = this.running.get('gateway');
    if (!gateway) throw new Error('start the gateway, with WEB_URL from reserveWebUrl(), before web');
    if (this.webPort === undefined) throw new Error('call reserveWebUrl() before starting the gateway and web');
    const env: Env = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      HOST: '127.0.0.1',
      PORT: String(this.webPort),
      // Its port is fixed (the gateway's WEB_URL names it), so metrics would take the fixed 9464, which
      // another stack running at the same time holds: any free port instead, like the other services'.
      METRICS_PORT: '0',
      GATEWAY_URL: gateway.url,
      PUBLIC_URL: gateway.url,
      WEB_SESSION_KEYS: testKeyRing(),
      SHUTDOWN_TIMEOUT: '5s',
      ...extra,
    };
    return this.start('web', this.options.processes ? this.processOf('web', env) : createWebService(env, overrides));
  }

  /** The process of a service started with `processes: true`, to kill or measure. */
  process(name: string): ServiceProcess {
    const service = this.running.get(name)?.service;
    if (!(service instanceof ServiceProcess)) throw new Error(`${name} is not running as a process`);
    return service;
  }

  async stopService(name: string): Promise<void> {
    const running = this.running.get(name);
    this.running.delete(name);
    await running?.service.stop();
  }

  /** An email request with its links sealed as identity's outbox seals them, for tests that write to the topic. */
  sealLinks(event: CloudEvent<'EmailRequested'>): CloudEvent<'EmailRequested'> {
    return sealEmailRequest(createSealer(parseKeyRing(this.emailLinkKeys)))(event) as CloudEvent<'EmailRequested'>;
  }

  /** An email request's variables with its sealed links opened, as notification reads them. */
  emailVariables(data: EventData<'EmailRequested'>): Record<string, string> {
    return openEmailVariables(createSealer(parseKeyRing(this.emailLinkKeys)), data);
  }

  /**
   * The token of the newest link of `template` identity asked to email to `email`, read from the
   * EmailRequested events `collector` gathers from this stack's email request topic.
   */
  async emailedToken(collector: KafkaCollector, email: string, template: EventData<'EmailRequested'>['template']): Promise<string> {
    const requestOf = (m: CollectedMessage) => {
      if (m.message.headers?.ce_type?.toString() !== registry.EmailRequested.type) return null;
      const event = fromKafkaMessage(m.message);
      return isEvent(event, 'EmailRequested') && event.data.to === email && event.data.template === template ? event : null;
    };
    const requests = await collector.waitForCount((m) => requestOf(m) !== null, 1);
    const request = requestOf(requests.at(-1)!);
    const link = request ? this.emailVariables(request.data).link : undefined;
    const token = link ? new URL(link).searchParams.get('token') : null;
    if (!token) throw new Error(`no ${template} link for ${email}`);
    return token;
  }

  /** Stops in reverse order of start, like a deployment draining. */
  async stop(): Promise<void> {
    for (const name of [...this.running.keys()].reverse()) await this.stopService(name);
  }

  /**
   * fetch that fails the test when an answer of the public API departs from the OpenAPI document,
   * whether it comes through the gateway (under /v1) or from a service called directly.
   */
  readonly fetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return (this.validators.get(url.origin) ?? fetch)(input, init);
  };

  /** Registers an account straight at identity and signs it in: the access token, for tests about other routes. */
  async signUp(email: string, password: string): Promise<string> {
    const identity = this.running.get('identity');
    if (!identity) throw new Error('start identity before signing up');
    const headers = { 'content-type': 'application/json' };
    const body = JSON.stringify({ email, password });
    const registered = await this.fetch(`${identity.url}/auth/register`, { method: 'POST', headers, body });
    if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
    const response = await this.fetch(`${identity.url}/auth/login`, { method: 'POST', headers, body });
    if (response.status !== 200) throw new Error(`login answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  /**
   * Registers an account straight at identity, follows the verification link identity asked to email
   * (opened from its EmailRequested event, so notification need not run) and signs it in: the access
   * token of a verified account, which for an address in ADMIN_EMAILS carries the admin role. The
   * topic `notification.email.requests` of this stack must exist.
   */
  async signUpVerified(email: string, password: string): Promise<string> {
    const identity = this.running.get('identity');
    if (!identity) throw new Error('start identity before signing up');
    const collector = new KafkaCollector(this.infra.kafkaBrokers, [this.topic(Topics.notificationEmailRequests)]);
    await collector.start();
    try {
      await this.signUp(email, password);
      const token = await this.emailedToken(collector, email, 'verify-email');
      const headers = { 'content-type': 'application/json' };
      const verified = await this.fetch(`${identity.url}/auth/verify-email`, { method: 'POST', headers, body: JSON.stringify({ token }) });
      if (verified.status !== 200) throw new Error(`verify-email answered ${verified.status}`);
      const response = await this.fetch(`${identity.url}/auth/login`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email, password }),
      });
      if (response.status !== 200) throw new Error(`login answered ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    } finally {
      await collector.stop();
    }
  }

  topic(base: string): string {
    return `${this.topicPrefix}${base}`;
  }

  private processOf(name: string, env: Env): ServiceProcess {
    return new ServiceProcess({
      entry: join(ROOT, 'services', name, 'dist/src/server.js'),
      env,
      execArgv: this.options.execArgv?.(name),
      logFile: join(ROOT, '.local/test/service-logs', this.name, `${name}.log`),
    });
  }

  private async start(name: string, service: Service): Promise<RunningService> {
    const { port, metricsPort } = await service.start();
    const running = {
      service,
      url: `http://127.0.0.1:${port}`,
      metricsUrl: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}/metrics`,
    };
    this.running.set(name, running);
    this.validators.set(running.url, validatingFetch(spec, name === 'gateway' ? `${running.url}/v1` : running.url));
    return running;
  }
}
