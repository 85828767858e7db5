import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { DEFAULT_METRICS_PORT, loadConfig } from '@solar/chassis';
import { loadServiceConfigs, repoRoot, requiredVariables } from '../src/service-configs';

// The Docker client here has no compose plugin, so `docker compose config` cannot check the file:
// it is validated against the Compose Specification's schema (vendored) and against the services' own
// config schemas, which decide what each container needs.

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string | number | boolean | null> };
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  stop_grace_period?: string;
}

const text = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const configs = loadServiceConfigs();

/**
 * A fixed key per variable: distinct, since identity refuses a link key equal to a data key, and free
 * of `/`, since a random one such as `k1:3/...` reads as the address `k1:3` to the listening check.
 */
const keyFor = (name: string) => Buffer.alloc(32, name.length).toString('base64');

/** What `docker compose` would pass, with the variables an operator must export set as in the header comment. */
const operatorEnv: Record<string, string> = {
  IDENTITY_DATA_ENCRYPTION_KEYS: `k1:${keyFor('IDENTITY_DATA_ENCRYPTION_KEYS')}`,
  NOTIFICATION_DATA_ENCRYPTION_KEYS: `k1:${keyFor('NOTIFICATION_DATA_ENCRYPTION_KEYS')}`,
  EMAIL_LINK_KEYS: `l1:${keyFor('EMAIL_LINK_KEYS')}`,
  JWT_SIGNING_KEYS: '{"keys":[]}',
  WEB_SESSION_KEYS: `w1:${keyFor('WEB_SESSION_KEYS')}`,
};

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (match, name: string | undefined, operator?: string, operand?: string) => {
      if (match === '$$') return '$';
      const set = name !== undefined && name in env;
      const value = set ? env[name]! : '';
      if (!operator) return value;
      const missing = operator.startsWith(':') ? value === '' : !set;
      if (operator.endsWith('?')) {
        if (missing) throw new Error(`${name}: ${operand}`);
        return value;
      }
      return missing ? (operand ?? '') : value;
    },
  );
}

function environmentOf(service: string, env = operatorEnv): Record<string, string> {
  const entries = Object.entries(services[service]?.environment ?? {}).flatMap(([name, value]): [string, string][] => {
    // `NAME:` without a value passes the shell's variable on when it is set, and nothing otherwise.
    if (value === null) return name in env ? [[name, env[name]!]] : [];
    return [[name, interpolate(String(value), env)]];
  });
  return Object.fromEntries(entries);
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification JSON Schema', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'tools', 'vendor', 'compose-spec', 'compose-spec.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects what the schema forbids (the check is not vacuous)', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'tools', 'vendor', 'compose-spec', 'compose-spec.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(schema, { services: { gateway: { image: 'x', depends_on: { redis: { condition: 'when_ready' } } } } })).toBe(false);
    expect(ajv.validate(schema, { services: { gateway: { image: 'x', helthcheck: {} } } })).toBe(false);
  });

  it('runs the infrastructure from the real images: mongo:7, apache/kafka:3.9.1 (KRaft), redis:7, Mailpit, Jaeger with OTLP', () => {
    expect(services.mongo?.image).toBe('mongo:7');
    expect(services.kafka?.image).toBe('apache/kafka:3.9.1');
    expect(services.kafka?.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(services.redis?.image).toBe('redis:7');
    expect(services.mailpit?.image).toMatch(/^axllent\/mailpit(:|$)/);
    expect(services.jaeger?.image).toMatch(/^jaegertracing\/all-in-one(:|$)/);
    expect(services.jaeger?.environment).toMatchObject({ COLLECTOR_OTLP_ENABLED: 'true' });
  });

  it('publishes the gateway, Mailpit and the Jaeger UI on their usual ports', () => {
    expect(services.gateway?.ports).toContain('8080:8080');
    expect(services.mailpit?.ports).toContain('8025:8025');
    expect(services.jaeger?.ports).toContain('16686:16686');
  });

  // tools/test/dockerfiles.test.ts checks that these build arguments are every one the Dockerfile requires.
  it('builds every deployable service from the one Dockerfile, with the repository root as context', () => {
    for (const { service } of configs) {
      expect([service, services[service]?.build]).toEqual([
        service,
        { context: '.', dockerfile: 'Dockerfile', args: expect.objectContaining({ SERVICE: service }) },
      ]);
    }
  });

  it.each(configs.map((config) => [config.service, config] as const))(
    'builds the %s image for the port and port variable its container listens on',
    (service, config) => {
      const args = services[service]?.build?.args ?? {};
      const port = environmentOf(service)[config.port.variable] ?? String(config.port.default);
      expect(String(args.PORT)).toBe(port);
      expect(args.PORT_VARIABLE ?? 'PORT').toBe(config.port.variable);
    },
  );

  it('health-checks every service that something waits for, and waits with conditions', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy')
          expect([name, dependency, services[dependency]?.healthcheck]).toEqual([name, dependency, expect.anything()]);
      }
    }
    for (const { service } of configs) {
      expect([service, services[service]?.healthcheck]).toEqual([service, expect.anything()]);
      expect(services[service]?.depends_on).toBeDefined();
    }
  });

  it.each(configs.map((config) => [config.service, config] as const))(
    'gives %s every variable it needs, and its config schema accepts them',
    (service, config) => {
      const env = environmentOf(service);
      expect(requiredVariables(config).filter((name) => !(name in env))).toEqual([]);
      // The real check: the service's own schema, with its cross-field rules (production needs signing
      // keys, the footer, the provider's variables, Redis while rate limits are on).
      expect(() => loadConfig(config.schema, env)).not.toThrow();
      expect(env.NODE_ENV).toBe('production');
    },
  );

  it.each(configs.map((config) => [config.service, config] as const))(
    'sets no variable that %s does not read (a typo would be silently ignored)',
    (service, config) => {
      const read = new Set(config.variables.map((variable) => variable.name));
      // OTEL_* are read by the OpenTelemetry SDK itself, not by the service's schema.
      const unknown = Object.keys(environmentOf(service)).filter((name) => !read.has(name) && !name.startsWith('OTEL_'));
      expect(unknown).toEqual([]);
    },
  );

  it("writes no secret into the file: keys and passwords come from the operator's environment", () => {
    const secretLooking = /(PASSWORD|SECRET|TOKEN|API_KEY|_KEYS?)$/;
    const literal = configs.flatMap(({ service }) =>
      Object.entries(services[service]?.environment ?? {})
        .filter(([name, value]) => secretLooking.test(name) && value !== null && !/^\$\{[A-Z_]+[:?-]/.test(String(value)))
        .map(([name]) => `${service}: ${name}`),
    );
    expect(literal).toEqual([]);
  });

  it('refuses to start without the secrets an operator must provide', () => {
    expect(() => environmentOf('identity', {})).toThrow(/IDENTITY_DATA_ENCRYPTION_KEYS/);
    expect(() => environmentOf('identity', { IDENTITY_DATA_ENCRYPTION_KEYS: 'k1:x' })).toThrow(/JWT_SIGNING_KEYS/);
    expect(() => environmentOf('notification', {})).toThrow(/NOTIFICATION_DATA_ENCRYPTION_KEYS/);
    const { EMAIL_LINK_KEYS: _unset, ...withoutLinkKeys } = operatorEnv;
    expect(() => environmentOf('identity', withoutLinkKeys)).toThrow(/EMAIL_LINK_KEYS/);
    expect(() => environmentOf('notification', withoutLinkKeys)).toThrow(/EMAIL_LINK_KEYS/);
  });

  it('gives identity and notification one email link key, apart from their data keys, and no other service any', () => {
    expect(environmentOf('identity', operatorEnv).EMAIL_LINK_KEYS).toBe(operatorEnv.EMAIL_LINK_KEYS);
    expect(environmentOf('notification', operatorEnv).EMAIL_LINK_KEYS).toBe(operatorEnv.EMAIL_LINK_KEYS);
    expect(environmentOf('lifecycle', operatorEnv).EMAIL_LINK_KEYS).toBeUndefined();
    expect(environmentOf('gateway', operatorEnv).EMAIL_LINK_KEYS).toBeUndefined();
  });

  it('gives identity and notification data keys of their own', () => {
    const identity = environmentOf('identity', operatorEnv).DATA_ENCRYPTION_KEYS;
    expect(identity).toBe(operatorEnv.IDENTITY_DATA_ENCRYPTION_KEYS);
    expect(environmentOf('notification', operatorEnv).DATA_ENCRYPTION_KEYS).toBe(operatorEnv.NOTIFICATION_DATA_ENCRYPTION_KEYS);
    expect(operatorEnv.IDENTITY_DATA_ENCRYPTION_KEYS).not.toBe(operatorEnv.NOTIFICATION_DATA_ENCRYPTION_KEYS);
  });

  it.each(configs.map((config) => [config.service, config] as const))('health-checks %s on the port it listens on', (service, config) => {
    const env = environmentOf(service);
    const port = env[config.port.variable] ?? String(config.port.default);
    expect(JSON.stringify(services[service]?.healthcheck?.test)).toContain(`:${port}/readyz`);
  });

  it('points every address at a service of the file, on the port that service listens on', () => {
    const listening = new Map<string, string>([
      ['mongo', '27017'],
      ['kafka', '9092'],
      ['redis', '6379'],
      ['mailpit', '1025'],
      ['jaeger', '4318'],
      ...configs.map(
        (config) =>
          [config.service, environmentOf(config.service)[config.port.variable] ?? String(config.port.default)] as [string, string],
      ),
    ]);
    const problems: string[] = [];
    for (const { service } of configs) {
      const env = environmentOf(service);
      for (const [name, value] of Object.entries(env)) {
        for (const address of value.split(',')) {
          const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?([a-z][a-z0-9-]*):(\d+)(?:\/|$)/.exec(address.trim());
          if (!match || match[1] === 'localhost') continue;
          const [, host = '', port] = match;
          if (listening.get(host) !== port) problems.push(`${service} ${name}=${value}: nothing listens on ${host}:${port}`);
        }
      }
      if (env.SMTP_HOST) expect(`${env.SMTP_HOST}:${env.SMTP_PORT}`).toBe('mailpit:1025');
    }
    expect(problems).toEqual([]);
  });

  it("exposes each service's /metrics port to the compose network, and publishes none on the host", () => {
    for (const config of configs) {
      const service = services[config.service];
      const metricsPort = String(environmentOf(config.service).METRICS_PORT ?? DEFAULT_METRICS_PORT);
      expect([config.service, service?.expose]).toEqual([config.service, expect.arrayContaining([metricsPort])]);
      expect((service?.ports ?? []).filter((port) => port.endsWith(`:${metricsPort}`))).toEqual([]);
    }
  });

  it('gives the services more time to stop than their drain may take', () => {
    for (const config of configs) {
      const shutdown = config.variables.find((variable) => variable.name === 'SHUTDOWN_TIMEOUT')?.default ?? '0s';
      const grace = services[config.service]?.stop_grace_period ?? '10s';
      expect([config.service, parseSeconds(grace) > parseSeconds(shutdown)]).toEqual([config.service, true]);
    }
  });
});

function parseSeconds(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}
