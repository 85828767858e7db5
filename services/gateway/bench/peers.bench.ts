/**
 * `npm run bench:peers`: the same password-login load, in one run on the same machine, against our
 * stack and two peers built from the registries, each hashing at identity's argon2id cost
 * (m=19456 KiB, t=2, p=1):
 * - ours: the gateway and identity, each its own Node process (as deployed), rate limits off, one
 *   registered and verified account per worker, `POST /v1/auth/login`;
 * - Keycloak 26.7.3: the OAuth2 password grant on a public client;
 * - Ory Kratos v1.3.1 on PostgreSQL 15: the API login flow (two requests a login);
 * - and the bound: identity's argon2id verifications per second in a Node process of their own.
 * A closed loop (runLoad) at each concurrency; for each concurrency the three systems run one after
 * the other, so the ratios compare runs minutes apart at most. Prints logins/s, p50/p99 side by
 * side, our logins/s ÷ each peer's and each system's ÷ the bound, and saves the figures as JSON and
 * SVG (.local/bench/peers.*).
 *
 * `bash scripts/peers.sh up` first (installs, starts and provisions the peers, writes the
 * .local/peers/env this reads); `npm run bench:peers` does both. BENCH_SECONDS (measured seconds per
 * run, default 15), BENCH_WARMUP_SECONDS (3, before each run), BENCH_PRIME_SECONDS (20, once per
 * system before its first run), BENCH_CONCURRENCY (2,4,8), BENCH_OUTPUT (the report's
 * folder, .local/bench) and BENCH_PROFILE=1 (CPU profiles of identity and the gateway, for a missed
 * target) change the run.
 */
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { TestStack } from '../test/support/stack';
import { runLoad, type LoadResult } from './support/load';
import { writeReport, type Figure } from './support/report';
import { ourLogin } from './support/our-login';
import { keycloakLogin, kratosLogin, peersFromEnv, type LoginRequest } from './support/peers';
import { measureArgon2Bound } from './support/peers-argon2-bound';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const primeSeconds = Number(process.env.BENCH_PRIME_SECONDS ?? 20);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '2,4,8').split(',').map(Number);
const output = process.env.BENCH_OUTPUT ?? '.local/bench';
const profileDir = process.env.BENCH_PROFILE === '1' ? join(output, `peers-profile-${Date.now()}`) : undefined;
/** The concurrency the targets are judged at: the one the peers were first measured at. */
const JUDGED_AT = 4;
const SYSTEMS = ['ours', 'keycloak', 'kratos'] as const;
type System = (typeof SYSTEMS)[number];
const TITLE: Record<System, string> = { ours: 'ours', keycloak: 'Keycloak', kratos: 'Kratos' };
const TARGET: Partial<Record<System, number>> = { keycloak: 2, kratos: 1.6 };

for (const c of concurrencies) if (!Number.isInteger(c) || c < 1) throw new Error(`BENCH_CONCURRENCY: ${c} is not a concurrency`);
if (!concurrencies.includes(JUDGED_AT)) throw new Error(`BENCH_CONCURRENCY must include ${JUDGED_AT}, where the targets are judged`);

function machine() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
    loadAverage: loadavg().map((l) => +l.toFixed(2)),
    node: process.version,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const rate = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  const peers = peersFromEnv();
  const highest = Math.max(...concurrencies);
  if (peers.users < highest) throw new Error(`PEERS_USERS=${peers.users}: the peers need one account per worker (${highest})`);
  const before = machine();
  console.log(`machine: ${JSON.stringify(before)}`);

  // Alone on the machine first (the peers idle), as the ceiling every system is held to.
  const boundOptions = { durationMs: seconds * 1000, warmupMs: warmupSeconds * 1000 };
  const bounds = [];
  for (const concurrency of [before.cores, 2 * before.cores]) bounds.push(await measureArgon2Bound({ ...boundOptions, concurrency }));
  const bound = bounds.reduce((best, b) => (b.perSecond > best.perSecond ? b : best));
  console.log(
    `argon2id bound (identity's hasher, one process): ${bounds.map((b) => `${rate(b.perSecond)}/s at ${b.concurrency}`).join(', ')}`,
  );

  const stack = new TestStack('bench-peers', {
    processes: true,
    execArgv: (service) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, service)}`] : []),
  });
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'bench-peers', logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identitySecurity, Topics.identityWaitlist, Topics.notificationEmailRequests].map((t) => stack.topic(t)),
  );
  await stack.startIdentity();
  // TestStack's gateway runs with rate limits and quotas off: a limit answering 429 is not a login.
  const gateway = await stack.startGateway();
  const ours = await ourLogin(stack, gateway.url, highest);
  const requests: Record<System, LoginRequest> = { ours: ours.login, keycloak: keycloakLogin(peers), kratos: kratosLogin(peers) };

  const results = new Map<string, LoadResult>();
  try {
    // Keycloak's JVM compiles its hot paths during the first minute of load, and a first login
    // anywhere fills caches and connection pools: each system gets that load before it is measured.
    for (const system of SYSTEMS) {
      const primed = await runLoad({ concurrency: highest, durationMs: primeSeconds * 1000, warmupMs: 0, request: requests[system] });
      console.log(`  ${TITLE[system].padEnd(8)} primed: ${primed.completed} logins in ${primeSeconds} s at c=${highest}`);
      if (primed.completed === 0) throw new Error(`${TITLE[system]} never signed in: ${primed.firstError}`);
    }
    for (const concurrency of concurrencies) {
      for (const system of SYSTEMS) {
        const result = await runLoad({
          concurrency,
          durationMs: seconds * 1000,
          warmupMs: warmupSeconds * 1000,
          request: requests[system],
        });
        results.set(`${system}@${concurrency}`, result);
        console.log(
          `  ${TITLE[system].padEnd(8)} c=${concurrency}: ${rate(result.perSecond)} logins/s, p50 ${ms(result.p50Ms)} ms, p99 ${ms(result.p99Ms)} ms` +
            (result.failed ? `, ${result.failed} failed (first: ${result.firstError})` : ''),
        );
      }
    }
  } finally {
    await stack.stop();
  }
  const at = (system: System, concurrency: number) => results.get(`${system}@${concurrency}`)!;

  console.log(
    `\n${'c'.padStart(2)}  ${SYSTEMS.map((s) => `${TITLE[s]} /s  p50  p99`.padStart(24)).join('')}  ${'ours÷Keycloak'.padStart(14)}${'ours÷Kratos'.padStart(13)}`,
  );
  for (const c of concurrencies) {
    const cells = SYSTEMS.map((s) => `${rate(at(s, c).perSecond)}  ${ms(at(s, c).p50Ms)}  ${ms(at(s, c).p99Ms)}`.padStart(24)).join('');
    const ratio = (peer: System) => (at('ours', c).perSecond / at(peer, c).perSecond).toFixed(2);
    console.log(`${String(c).padStart(2)}  ${cells}  ${ratio('keycloak').padStart(14)}${ratio('kratos').padStart(13)}`);
  }
  console.log(`÷ argon2id bound (${rate(bound.perSecond)}/s):`);
  for (const c of concurrencies) {
    console.log(`  c=${c}: ${SYSTEMS.map((s) => `${TITLE[s]} ${(at(s, c).perSecond / bound.perSecond).toFixed(2)}`).join(', ')}`);
  }
  console.log();

  const detail = (r: LoadResult) => ({ perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms, completed: r.completed, failed: r.failed });
  const figures: Figure[] = [];
  for (const peer of ['keycloak', 'kratos'] as const) {
    for (const c of concurrencies) {
      const judged = c === JUDGED_AT;
      figures.push({
        name: `ours ÷ ${TITLE[peer]} at c=${c}`,
        value: at('ours', c).perSecond / at(peer, c).perSecond,
        unit: '×',
        ...(judged ? { target: { op: '>=' as const, value: TARGET[peer]! } } : {}),
        detail: { ours: detail(at('ours', c)), [peer]: detail(at(peer, c)) },
        ...(judged && profileDir ? { profile: profileDir } : {}),
      });
    }
  }
  figures.push({ name: 'argon2id bound', value: bound.perSecond, unit: 'verifications/s', detail: { runs: bounds.map(detail) } });
  for (const system of SYSTEMS) {
    for (const c of concurrencies) {
      const r = at(system, c);
      figures.push({ name: `${TITLE[system]} logins at c=${c}`, value: r.perSecond, unit: '/s', detail: detail(r) });
      figures.push({ name: `${TITLE[system]} ÷ argon2id bound at c=${c}`, value: r.perSecond / bound.perSecond, unit: '×' });
    }
  }
  writeReport(output, 'peers', figures, {
    seconds,
    warmupSeconds,
    primeSeconds,
    argon2id: { memoryKiB: 19456, iterations: 2, parallelism: 1 },
    peers: { keycloak: '26.7.3 (start-dev, dev-mem H2)', kratos: 'v1.3.1 on PostgreSQL 15' },
    machine: { before, after: machine() },
  });
  const failures = [...results.entries()].filter(([, r]) => r.failed > 0);
  if (failures.length) {
    throw new Error(`failed logins in ${failures.map(([k, r]) => `${k} (${r.failed}: ${r.firstError})`).join('; ')}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
