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
 * turn with the others' and the bound's (ours, Keycloak, Kratos, bound, ours, ...; support/interleave.ts):
 * every ratio compares systems that saw the same load. Prints logins/s and p50/p99 side by side, our logins/s ÷
 * each peer's, each system's ÷ the bound measured between them, and saves the figures as JSON and
 * SVG (.local/bench/peers.*).
 *
 * `bash scripts/peers.sh up` first (installs, starts and provisions the peers, writes the
 * .local/peers/env this reads); `npm run bench:peers` does both. The knobs are `npm run bench`'s
 * (support/knobs.ts): BENCH_DURATION (measured seconds per system and concurrency, 15), BENCH_ROUNDS
 * (3 slices of them), BENCH_WARMUP (2, before each slice), BENCH_LOGIN_CONCURRENCY (2,4,8; must hold
 * 4, where the targets are judged), BENCH_OUTPUT (the report's folder, .local/bench), BENCH_PROFILE
 * (`always`: CPU profiles of identity and the gateway for the whole run; `missed` and `never` take
 * none, as a profiled rerun would need the peers again), and BENCH_PRIME of its own (20 seconds of
 * load once per system before the first slice) change the run.
 */
import { loadavg } from 'node:os';
import { measureArgon2 } from './support/argon2-verifier';
import { interleave, type Side } from './support/interleave';
import { commonKnobs, profileDirectory, secondsKnob } from './support/knobs';
import { runLoad, type LoadResult } from './support/load';
import { failedLogins, JUDGED_AT, peerFigures, peerTable, SYSTEMS, TITLE, type System } from './support/peer-figures';
import { prepareOurLogin } from './support/our-login';
import { keycloakLogin, kratosLogin, peersFromEnv, type LoginRequest } from './support/peers';
import { writeReport } from './support/report';
import { benchStack, machine, runBench } from './support/run';

const { durationMs, rounds, warmupMs, loginConcurrencies: concurrencies, profile, output } = commonKnobs();
const primeMs = secondsKnob(process.env, 'BENCH_PRIME', 20);
const profileDir = profile === 'always' ? profileDirectory(output, 'peers') : undefined;
/** Kept as deep as identity keeps it: its libuv pool has 4 threads. */
const BOUND_CONCURRENCY = 4;

if (!concurrencies.includes(JUDGED_AT)) throw new Error(`BENCH_LOGIN_CONCURRENCY must include ${JUDGED_AT}, where the targets are judged`);

const rate = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  const peers = peersFromEnv();
  const highest = Math.max(...concurrencies);
  if (peers.users < highest) throw new Error(`PEERS_USERS=${peers.users}: the peers need one account per worker (${highest})`);
  const before = machine();
  console.log(`machine: ${JSON.stringify(before)}`);

  const stack = benchStack('bench-peers', profileDir);
  const identity = await stack.startIdentity();
  // TestStack's gateway runs with rate limits and quotas off: a limit answering 429 is not a login.
  const gateway = await stack.startGateway();
  // One account per worker, as on the peers' side.
  const ours = await prepareOurLogin({
    stack,
    identityUrl: identity.url,
    gatewayUrl: gateway.url,
    maxConcurrency: highest,
    accountsPerWorker: 1,
  });
  const requests: Record<System, LoginRequest> = {
    ours: (worker) => ours.login(worker).then(() => undefined),
    keycloak: keycloakLogin(peers),
    kratos: kratosLogin(peers),
  };

  const measured = new Map<number, Record<System | 'bound', LoadResult>>();
  try {
    // Keycloak's JVM compiles its hot paths during the first minute of load, and a first login
    // anywhere fills caches and connection pools: each system gets that load before it is measured.
    for (const system of SYSTEMS) {
      const primed = await runLoad({ concurrency: highest, durationMs: primeMs, warmupMs: 0, request: requests[system] });
      console.log(`  ${TITLE[system].padEnd(8)} primed: ${primed.completed} logins in ${primeMs / 1000} s at c=${highest}`);
      if (primed.completed === 0) throw new Error(`${TITLE[system]} never signed in: ${primed.firstError}`);
    }
    for (const concurrency of concurrencies) {
      const login =
        (system: System): Side =>
        (sliceMs) =>
          runLoad({ concurrency, durationMs: sliceMs, warmupMs, request: requests[system], keepLatencies: true });
      const sides: Record<System | 'bound', Side> = {
        ours: login('ours'),
        keycloak: login('keycloak'),
        kratos: login('kratos'),
        bound: (sliceMs) => measureArgon2({ concurrency: BOUND_CONCURRENCY, durationMs: sliceMs, warmupMs }),
      };
      const onRound = (round: number, slices: Record<System | 'bound', { perSecond: number; failed: number }>) => {
        const line = SYSTEMS.map(
          (s) => `${TITLE[s]} ${rate(slices[s].perSecond)}` + (slices[s].failed ? ` (${slices[s].failed} failed)` : ''),
        );
        line.push(`argon2id ${rate(slices.bound.perSecond)}`);
        console.log(`  c=${concurrency} round ${round}/${rounds} (logins/s): ${line.join(', ')}; load ${loadavg()[0]!.toFixed(1)}`);
      };
      measured.set(concurrency, (await interleave(sides, { durationMs, rounds, onRound })).merged);
    }
  } finally {
    await stack.stop();
  }
  console.log(`\n${peerTable(measured, BOUND_CONCURRENCY)}\n`);
  const figures = peerFigures(measured, profileDir);
  writeReport(output, 'peers', figures, {
    durationMs,
    rounds,
    warmupMs,
    primeMs,
    argon2id: { memoryKiB: 19456, iterations: 2, parallelism: 1 },
    peers: { keycloak: '26.7.3 (start-dev, dev-mem H2)', kratos: 'v1.3.1 on PostgreSQL 15' },
    machine: { before, after: machine() },
  });
  const failed = failedLogins(measured);
  if (failed) throw new Error(failed);
}

runBench(main);
