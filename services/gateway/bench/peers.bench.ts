/**
 * `npm run bench:peers`: the same password-login load, in one run on the same machine, against our
 * stack and two peers built from the registries, each hashing at identity's argon2id cost
 * (m=19456 KiB, t=2, p=1):
 * - ours: the gateway and identity, each its own Node process (as deployed), rate limits off, one
 *   registered and verified account per worker, `POST /v1/auth/login`;
 * - Keycloak 26.7.3: the OAuth2 password grant on a public client;
 * - Ory Kratos v1.3.1 on PostgreSQL 15: the API login flow (two requests a login);
 * - and the bound: identity's argon2id verifications per second in a Node process of their own.
 * A closed loop (runLoad) per system and concurrency. On a machine others use, the background load
 * drifts by the minute, so each system's measured time is cut into BENCH_ROUNDS slices taken in
 * turn with the others' and the bound's (ours, Keycloak, Kratos, bound, ours, ...): every ratio
 * compares systems that saw the same load. Prints logins/s and p50/p99 side by side, our logins/s ÷
 * each peer's, each system's ÷ the bound measured between them, and saves the figures as JSON and
 * SVG (.local/bench/peers.*).
 *
 * `bash scripts/peers.sh up` first (installs, starts and provisions the peers, writes the
 * .local/peers/env this reads); `npm run bench:peers` does both. BENCH_SECONDS (measured seconds per
 * system and concurrency, default 15), BENCH_ROUNDS (3 slices of them), BENCH_WARMUP_SECONDS (2,
 * before each slice), BENCH_PRIME_SECONDS (20, once per system before the first slice),
 * BENCH_CONCURRENCY (2,4,8), BENCH_OUTPUT (the report's
 * folder, .local/bench) and BENCH_PROFILE=1 (CPU profiles of identity and the gateway, for a missed
 * target) change the run.
 */
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { TestStack } from '../test/support/stack';
import { runLoad } from './support/load';
import { combine, measureSlice, type Combined, type Slice } from './support/peers-rounds';
import { writeReport, type Figure } from './support/report';
import { ourLogin } from './support/peers-our-login';
import { keycloakLogin, kratosLogin, peersFromEnv, type LoginRequest } from './support/peers';
import { measureArgon2Bound } from './support/peers-argon2-bound';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
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
const BOUND_CONCURRENCY = 4;

for (const c of concurrencies) if (!Number.isInteger(c) || c < 1) throw new Error(`BENCH_CONCURRENCY: ${c} is not a concurrency`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS: ${rounds} is not a number of rounds`);
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

  const slices = new Map<string, Slice[]>();
  const add = (key: string, slice: Slice) => slices.set(key, [...(slices.get(key) ?? []), slice]);
  const sliceMs = (seconds * 1000) / rounds;
  try {
    // Keycloak's JVM compiles its hot paths during the first minute of load, and a first login
    // anywhere fills caches and connection pools: each system gets that load before it is measured.
    for (const system of SYSTEMS) {
      const primed = await runLoad({ concurrency: highest, durationMs: primeSeconds * 1000, warmupMs: 0, request: requests[system] });
      console.log(`  ${TITLE[system].padEnd(8)} primed: ${primed.completed} logins in ${primeSeconds} s at c=${highest}`);
      if (primed.completed === 0) throw new Error(`${TITLE[system]} never signed in: ${primed.firstError}`);
    }
    for (const concurrency of concurrencies) {
      for (let round = 1; round <= rounds; round++) {
        const line = [];
        for (const system of SYSTEMS) {
          const slice = await measureSlice({ concurrency, durationMs: sliceMs, warmupMs: warmupSeconds * 1000, request: requests[system] });
          add(`${system}@${concurrency}`, slice);
          line.push(`${TITLE[system]} ${rate(slice.completed / (sliceMs / 1000))}` + (slice.failed ? ` (${slice.failed} failed)` : ''));
        }
        // Kept as deep as identity keeps it: its libuv pool has 4 threads.
        const bound = await measureArgon2Bound({ concurrency: BOUND_CONCURRENCY, durationMs: sliceMs, warmupMs: warmupSeconds * 1000 });
        add(`bound@${concurrency}`, { durationMs: sliceMs, completed: bound.completed, failed: bound.failed, latenciesMs: [] });
        line.push(`argon2id ${rate(bound.perSecond)}`);
        console.log(`  c=${concurrency} round ${round}/${rounds} (logins/s): ${line.join(', ')}; load ${loadavg()[0]!.toFixed(1)}`);
      }
    }
  } finally {
    await stack.stop();
  }
  const at = (system: System, concurrency: number) => combine(slices.get(`${system}@${concurrency}`)!);
  const boundAt = (concurrency: number) => combine(slices.get(`bound@${concurrency}`)!);
  const bound = combine([...slices.entries()].filter(([key]) => key.startsWith('bound@')).flatMap(([, s]) => s));

  console.log(
    `\n${'c'.padStart(2)}${SYSTEMS.map((s) => `${TITLE[s]} /s   p50   p99`.padStart(26)).join('')}${'ours÷Keycloak'.padStart(15)}${'ours÷Kratos'.padStart(13)}`,
  );
  for (const c of concurrencies) {
    const cells = SYSTEMS.map((s) =>
      `${rate(at(s, c).perSecond)} ${ms(at(s, c).p50Ms).padStart(5)} ${ms(at(s, c).p99Ms).padStart(5)}`.padStart(26),
    );
    const ratio = (peer: System) => (at('ours', c).perSecond / at(peer, c).perSecond).toFixed(2);
    console.log(`${String(c).padStart(2)}${cells.join('')}${ratio('keycloak').padStart(15)}${ratio('kratos').padStart(13)}`);
  }
  console.log(`\n÷ the argon2id bound measured between them (identity's hasher alone, ${BOUND_CONCURRENCY} deep):`);
  for (const c of concurrencies) {
    const b = boundAt(c).perSecond;
    console.log(`  c=${c}: bound ${rate(b)}/s; ${SYSTEMS.map((s) => `${TITLE[s]} ${(at(s, c).perSecond / b).toFixed(2)}`).join(', ')}`);
  }
  console.log();

  const detail = (r: Combined) => ({ perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms, completed: r.completed, failed: r.failed });
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
  figures.push({
    name: 'argon2id bound',
    value: bound.perSecond,
    unit: 'verifications/s',
    detail: Object.fromEntries(concurrencies.map((c) => [`between runs at c=${c}`, boundAt(c).perSecond])),
  });
  for (const system of SYSTEMS) {
    for (const c of concurrencies) {
      const r = at(system, c);
      figures.push({ name: `${TITLE[system]} logins at c=${c}`, value: r.perSecond, unit: '/s', detail: detail(r) });
      figures.push({
        name: `${TITLE[system]} ÷ argon2id bound at c=${c}`,
        value: r.perSecond / boundAt(c).perSecond,
        unit: '×',
        detail: { logins: r.perSecond, bound: boundAt(c).perSecond },
      });
    }
  }
  writeReport(output, 'peers', figures, {
    seconds,
    rounds,
    warmupSeconds,
    primeSeconds,
    argon2id: { memoryKiB: 19456, iterations: 2, parallelism: 1 },
    peers: { keycloak: '26.7.3 (start-dev, dev-mem H2)', kratos: 'v1.3.1 on PostgreSQL 15' },
    machine: { before, after: machine() },
  });
  const failures = SYSTEMS.flatMap((s) => concurrencies.map((c) => [`${s}@${c}`, at(s, c)] as const)).filter(([, r]) => r.failed > 0);
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
