import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_METRICS_PORT, loadConfig, parseDuration } from '@solar/chassis';
import { overlays, renderOverlay, secretTemplates, selects, validateObjects, type KubernetesObject } from '../src/kubernetes';
import { typeCheckObjects } from '../src/kubernetes-type-check';
import { loadServiceConfigs, repoRoot, requiredVariables, type ServiceConfig } from '../src/service-configs';

// The manifests are rendered with the kubectl on this machine and validated offline against the
// Kubernetes API schemas; then what the schemas cannot know is checked against the services' own
// config schemas: each pod gets the variables its service needs, the ports it listens on, and the
// network paths to what it talks to.

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
  command?: string[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
  volumes?: {
    name: string;
    emptyDir?: object;
    secret?: { secretName: string };
    configMap?: { name: string };
    persistentVolumeClaim?: { claimName: string };
  }[];
}
interface NetworkPolicyRule {
  ports?: { port?: number | string; protocol?: string }[];
  from?: { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: object; ipBlock?: object }[];
  to?: object[];
}
interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes?: string[];
  ingress?: NetworkPolicyRule[];
  egress?: NetworkPolicyRule[];
}

const configs = loadServiceConfigs();
const templates = secretTemplates();

/**
 * A fixed key per variable: distinct, since identity refuses a link key equal to a data key, and free
 * of `/`, since a random one such as `k1:3/...` reads as the address `k1:3` to the network policy check.
 */
const keyFor = (key: string) => Buffer.alloc(32, key.length).toString('base64');

/** Stand-ins for what an operator puts in the Secrets: valid for the config schemas, fake everywhere else. */
function secretValue(service: string, key: string): string {
  if (key === 'MONGO_URL') return `mongodb://${service}:password@mongo.example.internal:27017/${service}?authSource=admin`;
  if (key === 'RESTORE_MONGO_URL') return 'mongodb://restore:password@mongo-scratch.example.internal:27017/';
  if (key === 'DATA_ENCRYPTION_KEYS' || key === 'EMAIL_LINK_KEYS' || key === 'WEB_SESSION_KEYS') return `k1:${keyFor(key)}`;
  if (key === 'REDIS_URL') return 'redis://:password@redis.example.internal:6379';
  if (key === 'CAPTCHA_PROOF_KEY' || key === 'PAGES_SIGN_IN_KEY') return keyFor(key);
  return 'placeholder';
}

function podSpecOf(object: KubernetesObject): PodSpec {
  const spec = object.spec as { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } };
  return spec.template?.spec ?? spec.jobTemplate!.spec.template.spec;
}

describe.each(overlays)('deploy/overlays/%s', (overlay) => {
  const objects = renderOverlay(overlay);
  const find = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);
  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
  const configMap = (name: string) =>
    ofKind('ConfigMap').find((object) => object.metadata.name === name || object.metadata.name.startsWith(`${name}-`)) ??
    find('ConfigMap', name);

  /** The environment a container starts with: its ConfigMaps, the Secrets' template keys (filled) and env. */
  function environmentOf(service: string, container: Container): Record<string, string> {
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef)
        Object.assign(env, ofKind('ConfigMap').find((object) => object.metadata.name === source.configMapRef!.name)?.data);
      if (source.secretRef) {
        const template = templates.find((secret) => secret.metadata.name === source.secretRef!.name);
        for (const key of Object.keys(template?.stringData ?? {})) env[key] = secretValue(service, key);
      }
    }
    for (const variable of container.env ?? []) {
      env[variable.name] = variable.value ?? secretValue(service, variable.valueFrom?.secretKeyRef?.key ?? '');
    }
    return env;
  }

  it('renders objects that all validate against the Kubernetes API schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    expect(validateObjects(objects)).toEqual([]);
  });

  it('renders no field that the API does not know (a misspelt field would be dropped silently)', () => {
    expect(typeCheckObjects(objects)).toEqual([]);
  });

  it('puts every object in the overlay namespace', () => {
    const namespaces = new Set(objects.map((object) => object.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect([...namespaces][0]).toMatch(/^solar-accounts/);
  });

  describe.each(configs.map((config) => [config.service, config] as const))('%s', (service, config: ServiceConfig) => {
    const deployment = find('Deployment', service);
    const pod = deployment ? podSpecOf(deployment) : undefined;
    const container = pod?.containers.find((candidate) => candidate.name === service);
    const env = container ? environmentOf(service, container) : {};
    const port = Number(env[config.port.variable] ?? config.port.default);

    it('has a Deployment, a Service and a PodDisruptionBudget', () => {
      expect(container).toBeDefined();
      expect(find('Service', service)).toBeDefined();
      expect(find('PodDisruptionBudget', service)).toBeDefined();
      expect(container!.image).toMatch(new RegExp(`solar-accounts/${service}:[\\w.-]+$`));
    });

    it('gives the container every variable the service needs, and the service schema accepts them', () => {
      expect(requiredVariables(config).filter((name) => !(name in env))).toEqual([]);
      expect(() => loadConfig(config.schema, env)).not.toThrow();
      expect(env.NODE_ENV).toBe('production');
    });

    it('sets no variable of its own that the service does not read', () => {
      const read = new Set(config.variables.map((variable) => variable.name));
      const own = { ...configMap(`${service}-config`)?.data };
      const secret = templates.find((template) => template.metadata.name === `${service}-secrets`);
      const names = [
        ...Object.keys(own),
        ...Object.keys(secret?.stringData ?? {}),
        ...(container?.env ?? []).map((variable) => variable.name),
      ];
      expect(names.filter((name) => !read.has(name) && !name.startsWith('OTEL_'))).toEqual([]);
    });

    it('listens, is probed and is served on the port the service reads from its configuration', () => {
      const http = container!.ports?.find((candidate) => candidate.name === 'http');
      expect(http?.containerPort).toBe(port);
      expect(container!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container!.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      const ports = (find('Service', service)!.spec as { ports: { port: number; targetPort: string }[] }).ports;
      expect(ports).toEqual([expect.objectContaining({ port, targetPort: 'http' })]);
    });

    it('is scraped by Prometheus on the metrics port the service reads from its configuration, never the API port', () => {
      const metricsPort = Number(env.METRICS_PORT ?? DEFAULT_METRICS_PORT);
      expect(metricsPort).not.toBe(port);
      expect(container!.ports?.find((candidate) => candidate.name === 'metrics')?.containerPort).toBe(metricsPort);
      const annotations = (deployment!.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata
        .annotations;
      expect(annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(metricsPort),
        'prometheus.io/path': '/metrics',
      });
    });

    it('runs as non-root on a read-only root filesystem, with /tmp on an emptyDir', () => {
      expect(pod!.securityContext?.runAsNonRoot).toBe(true);
      expect(pod!.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(container!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      const tmp = container!.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
      expect(pod!.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    });

    it('has resource requests and limits', () => {
      expect(Object.keys(container!.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container!.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    });

    it('pauses before SIGTERM and leaves the drain more time than SHUTDOWN_TIMEOUT', () => {
      const pause = container!.lifecycle?.preStop?.exec?.command;
      expect(pause?.[0]).toBe('sleep');
      const shutdownMs =
        parseDuration(env.SHUTDOWN_TIMEOUT ?? config.variables.find((v) => v.name === 'SHUTDOWN_TIMEOUT')?.default ?? '') ?? NaN;
      expect(Number.isFinite(shutdownMs)).toBe(true);
      expect(pod!.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(shutdownMs + Number(pause?.[1]) * 1000);
    });

    it('mounts the file that a *_FILE variable names', () => {
      for (const [name, value] of Object.entries(env).filter(([name]) => name.endsWith('_FILE'))) {
        const mount = container!.volumeMounts?.find((candidate) => value.startsWith(`${candidate.mountPath}/`));
        expect([name, mount]).toEqual([name, expect.anything()]);
        const secretName = pod!.volumes?.find((volume) => volume.name === mount!.name)?.secret?.secretName;
        const template = templates.find((secret) => secret.metadata.name === secretName);
        expect(Object.keys(template?.stringData ?? {})).toContain(path.posix.basename(value));
      }
    });
  });

  it('keeps credentials out of ConfigMaps: secret-looking variables and addresses that carry passwords come from Secrets', () => {
    const secretLooking = /(PASSWORD|SECRET|TOKEN|API_KEY|_KEYS?|^MONGO_URL|^REDIS_URL|^RESTORE_MONGO_URL)$/;
    // A CAPTCHA site key is the provider's public half: every waitlist page carries it in its markup.
    const publicKeys = new Set(['CAPTCHA_SITE_KEY']);
    const inConfigMaps = ofKind('ConfigMap')
      .filter((object) => !object.metadata.name.startsWith('backup-scripts'))
      .flatMap((object) => Object.keys(object.data ?? {}).map((key) => `${object.metadata.name}: ${key}`))
      .filter((entry) => secretLooking.test(entry.split(': ')[1]!) && !publicKeys.has(entry.split(': ')[1]!));
    expect(inConfigMaps).toEqual([]);
    const literal = objects
      .filter((object) => ['Deployment', 'CronJob'].includes(object.kind))
      .flatMap((object) => podSpecOf(object).containers.flatMap((container) => container.env ?? []))
      .filter((variable) => variable.value !== undefined && secretLooking.test(variable.name));
    expect(literal).toEqual([]);
  });

  it('scales the gateway and identity with HorizontalPodAutoscalers, which alone own their replica count', () => {
    for (const service of ['gateway', 'identity']) {
      const hpa = find('HorizontalPodAutoscaler', service);
      expect(hpa?.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: service } });
      expect((hpa!.spec as { minReplicas: number }).minReplicas).toBeGreaterThanOrEqual(1);
      expect(find('Deployment', service)!.spec!.replicas).toBeUndefined();
    }
  });

  // Security review finding 3: one Secret for the key that seals email links, read by identity and notification alone.
  it('gives EMAIL_LINK_KEYS to identity and notification from a Secret of its own, and to no other container', () => {
    const readers = objects
      .filter((object) => ['Deployment', 'CronJob'].includes(object.kind))
      .flatMap((object) => podSpecOf(object).containers)
      .filter((container) => (container.envFrom ?? []).some((source) => source.secretRef?.name === 'email-link-keys'))
      .map((container) => container.name);
    expect(readers.sort()).toEqual(['identity', 'notification']);
    const secret = templates.find((template) => template.metadata.name === 'email-link-keys');
    expect(Object.keys(secret?.stringData ?? {})).toEqual(['EMAIL_LINK_KEYS']);
    for (const name of ['identity-secrets', 'notification-secrets']) {
      expect(Object.keys(templates.find((template) => template.metadata.name === name)?.stringData ?? {})).not.toContain('EMAIL_LINK_KEYS');
    }
  });

  it('references only Secrets and keys that deploy/secrets/secrets.template.yaml lists', () => {
    const missing: string[] = [];
    const check = (name: string, key?: string) => {
      const template = templates.find((secret) => secret.metadata.name === name);
      if (!template) missing.push(name);
      else if (key && !(key in (template.stringData ?? {}))) missing.push(`${name}.${key}`);
    };
    for (const object of objects.filter((candidate) => ['Deployment', 'CronJob'].includes(candidate.kind))) {
      const pod = podSpecOf(object);
      for (const container of pod.containers) {
        for (const source of container.envFrom ?? []) if (source.secretRef) check(source.secretRef.name);
        for (const variable of container.env ?? [])
          if (variable.valueFrom?.secretKeyRef) check(variable.valueFrom.secretKeyRef.name, variable.valueFrom.secretKeyRef.key);
      }
      for (const volume of pod.volumes ?? []) if (volume.secret) check(volume.secret.secretName);
    }
    expect(missing).toEqual([]);
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  describe('network policies', () => {
    const policies = ofKind('NetworkPolicy').map((object) => object.spec as unknown as NetworkPolicySpec);
    const labelsOf = (service: string) =>
      (find('Deployment', service)!.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    const applying = (labels: Record<string, string>, type: 'Ingress' | 'Egress') =>
      policies.filter((policy) => selects(policy.podSelector, labels) && (policy.policyTypes ?? []).includes(type));
    /** The container's named ports, which a policy's `port: http` refers to on the pods it selects. */
    const namedPortsOf = (service: string) =>
      Object.fromEntries(
        (podSpecOf(find('Deployment', service)!).containers[0]!.ports ?? []).map((port) => [port.name, port.containerPort]),
      );
    const portOf = (service: string) => (find('Service', service)!.spec as { ports: { targetPort: string }[] }).ports[0]!.targetPort;
    const portMatches = (rule: NetworkPolicyRule, port: number, namedPorts: Record<string, number> = {}) =>
      !rule.ports ||
      rule.ports.some((candidate) => (typeof candidate.port === 'string' ? namedPorts[candidate.port] : candidate.port) === port);

    function egressAllows(labels: Record<string, string>, port: number): boolean {
      return applying(labels, 'Egress').some((policy) => (policy.egress ?? []).some((rule) => portMatches(rule, port)));
    }

    function ingressAllows(target: string, fromLabels: Record<string, string> | 'outside'): boolean {
      return applying(labelsOf(target), 'Ingress').some((policy) =>
        (policy.ingress ?? []).some(
          (rule) =>
            portMatches(rule, namedPortsOf(target)[portOf(target)], namedPortsOf(target)) &&
            (!rule.from ||
              rule.from.some((peer) =>
                fromLabels === 'outside'
                  ? peer.namespaceSelector !== undefined || peer.ipBlock !== undefined
                  : peer.podSelector !== undefined && !peer.namespaceSelector && selects(peer.podSelector, fromLabels),
              )),
        ),
      );
    }

    it('deny everything by default, DNS aside', () => {
      expect(policies).toContainEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(egressAllows({ 'app.kubernetes.io/name': 'anything' }, 53)).toBe(true);
      expect(egressAllows({ 'app.kubernetes.io/name': 'anything' }, 443)).toBe(false);
    });

    it('let only the gateway be reached from outside the namespace (metrics scraping aside)', () => {
      expect(ingressAllows('gateway', 'outside')).toBe(true);
      for (const { service } of configs.filter((config) => config.service !== 'gateway')) {
        const open = applying(labelsOf(service), 'Ingress').flatMap((policy) =>
          (policy.ingress ?? []).filter(
            (rule) =>
              !rule.from ||
              rule.from.some(
                (peer) =>
                  peer.ipBlock ||
                  (peer.namespaceSelector &&
                    JSON.stringify(peer.namespaceSelector) !==
                      JSON.stringify({ matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } })),
              ),
          ),
        );
        expect([service, open]).toEqual([service, []]);
      }
    });

    it.each(configs.map((config) => [config.service] as const))(
      'let only the monitoring namespace reach the metrics port of %s',
      (service) => {
        const metricsPort = namedPortsOf(service).metrics!;
        const rules = applying(labelsOf(service), 'Ingress').flatMap((policy) =>
          (policy.ingress ?? []).filter((rule) => portMatches(rule, metricsPort, namedPortsOf(service))),
        );
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
          expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
        }
      },
    );

    it.each(configs.map((config) => [config.service, config] as const))(
      'let %s reach every address its configuration names',
      (service, config) => {
        const deployment = find('Deployment', service)!;
        const container = podSpecOf(deployment).containers[0]!;
        const env = environmentOf(service, container);
        const labels = labelsOf(service);
        const blocked: string[] = [];
        for (const [name, value] of Object.entries(env)) {
          if (!config.variables.some((variable) => variable.name === name) && !name.startsWith('OTEL_EXPORTER')) continue;
          for (const address of value.split(',')) {
            const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?([a-z][a-z0-9.-]*):(\d+)(?:[/?]|$)/.exec(address.trim());
            if (!match) continue;
            const [, host = '', port = ''] = match;
            if (!egressAllows(labels, Number(port))) blocked.push(`${name}: egress to ${host}:${port}`);
            const target = configs.find((candidate) => candidate.service === host);
            if (target && !ingressAllows(target.service, labels)) blocked.push(`${name}: ${target.service} does not admit ${service}`);
          }
        }
        if (env.SMTP_HOST && !egressAllows(labels, Number(env.SMTP_PORT ?? 587))) blocked.push(`SMTP: egress to port ${env.SMTP_PORT}`);
        if (service === 'gateway' && !egressAllows(labels, 6379)) blocked.push('REDIS_URL');
        expect(blocked).toEqual([]);
      },
    );
  });

  describe('backups', () => {
    const cronJobs = ofKind('CronJob');
    const databases = configs
      .filter((config) => config.variables.some((variable) => variable.name === 'MONGO_URL'))
      .map((config) => config.service);
    const envOf = (job: KubernetesObject) =>
      Object.fromEntries((podSpecOf(job).containers[0]!.env ?? []).map((variable) => [variable.name, variable]));

    it.each(databases)('dump the %s database nightly with mongodump to the backup claim', (database) => {
      const job = cronJobs.find((candidate) => envOf(candidate).BACKUP_DATABASE?.value === database);
      expect(job).toBeDefined();
      const pod = podSpecOf(job!);
      expect(envOf(job!).MONGO_URL?.valueFrom?.secretKeyRef).toEqual({ name: `${database}-secrets`, key: 'MONGO_URL' });
      expect(pod.containers[0]!.command).toEqual(['bash', '/scripts/backup.sh']);
      expect(pod.volumes?.some((volume) => volume.persistentVolumeClaim?.claimName === 'mongo-backups')).toBe(true);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.containers[0]!.securityContext?.readOnlyRootFilesystem).toBe(true);
    });

    it('restore the newest backup of every database into a scratch database and check the counts', () => {
      const job = cronJobs.find((candidate) => podSpecOf(candidate).containers[0]!.command?.includes('/scripts/restore-check.sh'));
      expect(job).toBeDefined();
      expect((envOf(job!).BACKUP_DATABASES?.value ?? '').split(' ').sort()).toEqual([...databases].sort());
      expect(envOf(job!).RESTORE_MONGO_URL?.valueFrom?.secretKeyRef).toBeDefined();
    });

    it('run at different times, so the ReadWriteOnce claim is never wanted twice at once', () => {
      const schedules = cronJobs.map((job) => (job.spec as { schedule: string }).schedule);
      expect(new Set(schedules).size).toBe(schedules.length);
      expect(cronJobs.every((job) => (job.spec as { concurrencyPolicy?: string }).concurrencyPolicy === 'Forbid')).toBe(true);
    });

    it('ship the scripts in the repository, which are valid bash', () => {
      const scripts = configMap('backup-scripts')!.data!;
      for (const file of ['backup.sh', 'restore-check.sh']) {
        const text = readFileSync(path.join(repoRoot, 'deploy', 'base', 'backup', file), 'utf8');
        expect(scripts[file]).toBe(text);
        execFileSync('bash', ['-n'], { input: text });
      }
    });
  });
});

describe('deploy/secrets/secrets.template.yaml', () => {
  it('holds Secrets that validate, with no value filled in', () => {
    expect(validateObjects(templates)).toEqual([]);
    expect(typeCheckObjects(templates)).toEqual([]);
    expect(
      templates.every((secret) => secret.kind === 'Secret' && Object.values(secret.stringData ?? {}).every((value) => value === '')),
    ).toBe(true);
    expect(templates.some((secret) => secret.data !== undefined)).toBe(false);
  });

  it('is applied by no kustomization (blanks must never overwrite real secrets)', () => {
    for (const overlay of overlays) {
      expect(renderOverlay(overlay).filter((object) => object.kind === 'Secret')).toEqual([]);
    }
  });
});

describe('prod', () => {
  it('exposes the gateway, and only the gateway, through an Ingress', () => {
    const objects = renderOverlay('prod');
    const ingresses = objects.filter((object) => object.kind === 'Ingress');
    const backends = JSON.stringify(ingresses.map((ingress) => ingress.spec)).match(/"service":\{"name":"[^"]+"/g) ?? [];
    expect(new Set(backends)).toEqual(new Set(['"service":{"name":"gateway"']));
    const services = objects.filter((object) => object.kind === 'Service');
    expect(services.every((service) => (service.spec as { type?: string }).type === 'ClusterIP')).toBe(true);
  });
});
