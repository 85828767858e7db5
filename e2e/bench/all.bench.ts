/**
 * `npm run bench`: every figure of the benchmark suite as a ratio of two things measured in this one
 * run on this machine, so a busy or a quiet machine changes both sides alike. The services run as their
 * own Node processes from their compiled entry points (TestStack `processes: true`), so the CPU and
 * memory measured are theirs, not the load generator's. Prints a table and saves JSON + SVG under
 * `.local/bench/`. A figure that misses its target gets its part run again with `--cpu-prof` on the
 * services, and each service's CPU time by package and top self-time functions are attached
 * (`profile`, `detail.profileTop`).
 *
 * BENCH_DURATION (seconds each side of a ratio is measured, 15, in BENCH_ROUNDS interleaved slices,
 * 3), BENCH_WARMUP (seconds before each slice, 2), BENCH_LOGIN_CONCURRENCY (2,4,8; the target is held
 * at 4), BENCH_READ_CONCURRENCY (8), BENCH_EMAILS (100), BENCH_PURGE_ACCOUNTS (10,000; 0 skips the
 * purge), BENCH_PARTS (login,refresh,read,email: the parts to run), BENCH_PROFILE (`missed`, `always` or
 * `never`) and BENCH_OUTPUT (the report's folder, .local/bench) change the run (support/knobs.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceProcess } from '@solar/chassis/testing';
import { KafkaCollector, Mailpit, waitFor } from '@solar/chassis/testing';
import { fromKafkaMessage, isEvent, Topics } from '@solar/contracts';
import type { RunningService, TestStack } from '../test/support/stack';
import { measureArgon2 } from './support/argon2-verifier';
import { cpuBudget, infraProcesses, type BudgetSources } from './support/cpu-budget';
import { readCpuProfile, summariseProfile, type ProfileSummary } from './support/cpu-profile';
import { emailLatencyFigures, loadDetail, peakRssMb, ratioFigure } from './support/figures';
import { interleave as interleaveSides, type Side } from './support/interleave';
import { commonKnobs, countKnob, profileDirectory } from './support/knobs';
import { percentile, runLoad, type LoadResult } from './support/load';
import { prepareOurLogin, type LoginPool } from './support/our-login';
import { meets, writeReport, type Figure } from './support/report';
import { kafkaRoundTrip, smtpSend } from './support/round-trips';
import { benchStack, machine, runBench } from './support/run';
import { runPurge } from './purge';

const ROOT = join(__dirname, '../..');
const { durationMs, rounds, warmupMs, loginConcurrencies, profile: profileMode, output } = commonKnobs();
/** The login figure's target is held at this concurrency; the others are reported beside it. */
const TARGET_CONCURRENCY = 4;
const MAX_CONCURRENCY = Math.max(...loginConcurrencies, TARGET_CONCURRENCY);
const readConcurrency = countKnob(process.env, 'BENCH_READ_CONCURRENCY', 8);
const emails = countKnob(process.env, 'BENCH_EMAILS', 100);
const purgeAccounts = countKnob(process.env, 'BENCH_PURGE_ACCOUNTS', 10_000, 0);
const jobsConcurrency = countKnob(process.env, 'JOBS_CONCURRENCY', 50);
/** Far above any load here: limits are on and counted in Redis, but never refuse. */
const RAISED = '1000000000/1m';

/** One stack of services under test: identity, notification, and two gateways, limits on and off. */
interface Running {
  stack: TestStack;
  identity: RunningService;
  notification: RunningService;
  /** The gateway as deployed: rate limits on, counted in Redis, raised so that they never refuse. */
  gateway: RunningService;
  /** The same gateway with RATE_LIMITS_ENABLED=false. */
  unlimited: RunningService;
  processes(): Record<string, ServiceProcess>;
  stop(): Promise<void>;
}

async function startStack(label: string, profileDir?: string): Promise<Running> {
  const stack = benchStack(label, profileDir);
  const identity = await stack.startIdentity();
  const notification = await stack.startNotification();
  // TestStack keeps one gateway by name: the one without limits is started first, stopped by hand.
  const unlimited = await stack.startGateway({ RATE_LIMITS_ENABLED: 'false' });
  const gateway = await stack.startGateway({
    RATE_LIMITS_ENABLED: 'true',
    REDIS_URL: stack.infra.redisUrl,
    RATE_LIMIT_LOGIN: RAISED,
    RATE_LIMIT_REGISTER: RAISED,
    RATE_LIMIT_DEFAULT: RAISED,
  });
  return {
    stack,
    identity,
    notification,
    gateway,
    unlimited,
    processes: () => ({
      identity: stack.process('identity'),
      notification: stack.process('notification'),
      gateway: stack.process('gateway'),
      'gateway (limits off)': unlimited.service as ServiceProcess,
    }),
    async stop() {
      await stack.stop();
      await unlimited.service.stop();
    },
  };
}

const load = (request: (worker: number, sequence: number) => Promise<void>, concurrency: number, sliceMs: number): Promise<LoadResult> =>
  runLoad({ concurrency, durationMs: sliceMs, warmupMs, request, keepLatencies: true });

/** The sides of a ratio in BENCH_ROUNDS interleaved slices of BENCH_DURATION (support/interleave.ts). */
const interleave = <K extends string>(sides: Record<K, Side>) => interleaveSides(sides, { durationMs, rounds });

/** Figures 1 and 6: sign-in through the gateway against argon2id's bound, then each service's peak RSS. */
async function loginPart(run: Running, profiling: boolean): Promise<Figure[]> {
  const pool = await loginPool(run);
  const login =
    (concurrency: number): Side =>
    (sliceMs) =>
      load((worker) => pool.login(worker).then(() => undefined), concurrency, sliceMs);
  if (profiling) {
    await login(TARGET_CONCURRENCY)(durationMs);
    return [];
  }
  let parameters = '';
  let hashMs = Number.NaN;
  const sides: Record<string, Side> = {
    argon2id: async (sliceMs) => {
      const result = await measureArgon2({ durationMs: sliceMs, warmupMs });
      parameters = result.parameters;
      hashMs = result.cpuMsPerVerification;
      return result;
    },
    ...Object.fromEntries(loginConcurrencies.map((concurrency) => [`login c=${concurrency}`, login(concurrency)])),
  };
  const { merged, perSlice } = await interleave(sides);
  const bound = merged.argon2id!;
  console.log(
    `argon2id (${parameters}) at ${bound.concurrency}: ${bound.perSecond.toFixed(1)} verifications/s (slices ${perSlice.argon2id!.join(', ')})`,
  );
  const figures = loginConcurrencies.map((concurrency) => {
    const result = merged[`login c=${concurrency}`]!;
    console.log(
      `login at ${concurrency}: ${result.perSecond.toFixed(1)}/s, p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms`,
    );
    const figure = ratioFigure(
      `login c=${concurrency} ÷ argon2id bound`,
      { label: 'loginsPerSecond', value: result.perSecond },
      { label: 'verificationsPerSecond', value: bound.perSecond },
      0.85,
      {
        login: { ...loadDetail(result), perSlice: perSlice[`login c=${concurrency}`] },
        argon2id: { parameters, concurrency: bound.concurrency, perSlice: perSlice.argon2id },
      },
    );
    if (concurrency !== TARGET_CONCURRENCY) delete figure.target;
    return figure;
  });
  // Every sign-in the load made is counted, the warm-up's too: the CPU readings include them.
  let signedIn = 0;
  const budget = await cpuBudget(
    'login',
    budgetSources(run),
    async () => {
      await load((worker) => pool.login(worker).then(() => void signedIn++), TARGET_CONCURRENCY, durationMs);
      return { completed: signedIn };
    },
    hashMs,
  );
  const rss = Object.entries(run.processes()).map(([name, service]): Figure => {
    const peak = peakRssMb(readFileSync(`/proc/${service.pid}/status`, 'utf8'));
    return { name: `peak RSS ${name} after logins`, value: peak, unit: 'MB', target: { op: '<=', value: 200 } };
  });
  return [...figures, ...budget, ...rss];
}

/**
 * The CPU budget per token refresh: each worker keeps one session of its own alive, trading its
 * refresh token for the next pair through the gateway as soon as the last trade answered.
 */
async function refreshPart(run: Running, profiling: boolean): Promise<Figure[]> {
  const refresh = await (await loginPool(run)).sessions(TARGET_CONCURRENCY);
  // As for the logins, every refresh is counted, the warm-up's too: the CPU readings include them.
  let refreshed = 0;
  const refreshes = () => load((worker) => refresh(worker).then(() => void refreshed++), TARGET_CONCURRENCY, durationMs);
  if (profiling) {
    await refreshes();
    return [];
  }
  return cpuBudget('refresh', budgetSources(run), async () => {
    const result = await refreshes();
    console.log(
      `refresh at ${TARGET_CONCURRENCY}: ${result.perSecond.toFixed(1)}/s, p50 ${result.p50Ms.toFixed(0)} ms, ` +
        `p99 ${result.p99Ms.toFixed(0)} ms, ${result.failed} failed${result.firstError ? ` (${result.firstError})` : ''}`,
    );
    return { completed: refreshed };
  });
}

/** Every process a login or a refresh touches: the services and the servers under them (Kafka, Mongo, Redis). */
function budgetSources(run: Running): BudgetSources {
  return {
    processes: () => ({
      ...Object.fromEntries(Object.entries(run.processes()).flatMap(([name, { pid }]) => (pid === undefined ? [] : [[name, pid]]))),
      ...infraProcesses(join(ROOT, '.local/test/pids')),
    }),
    metricsUrls: [run.identity, run.notification, run.gateway].flatMap((service) => service.metricsUrl ?? []),
    kafkaBrokers: run.stack.infra.kafkaBrokers,
    topics: Object.values(Topics).map((topic) => run.stack.topic(topic)),
  };
}

const pools = new WeakMap<Running, Promise<LoginPool>>();

/** One pool of accounts per stack, shared by the parts that sign in. */
function loginPool(run: Running): Promise<LoginPool> {
  const existing = pools.get(run);
  if (existing) return existing;
  const pool = prepareOurLogin({
    stack: run.stack,
    identityUrl: run.identity.url,
    gatewayUrl: run.gateway.url,
    maxConcurrency: MAX_CONCURRENCY,
  });
  pools.set(run, pool);
  return pool;
}

/** Figures 2 and 3: GET /users/me through the gateway ÷ straight to identity, and limits on ÷ off. */
async function readPart(run: Running): Promise<Figure[]> {
  const pool = await loginPool(run);
  const tokens: string[] = [];
  // Each worker signs its own accounts in, one after another: every account in the pool gets a token.
  await Promise.all(
    Array.from({ length: MAX_CONCURRENCY }, async (_, worker) => {
      for (let i = worker; i < pool.emails.length; i += MAX_CONCURRENCY) tokens.push(await pool.login(worker));
    }),
  );
  let refused = 0;
  let refusedWithLimits = 0;
  const me = (base: string) => async (_worker: number, sequence: number) => {
    const response = await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${tokens[sequence % tokens.length]}` } });
    await response.arrayBuffer();
    if (response.status === 429) refused++;
    if (response.status !== 200) throw new Error(`GET /users/me answered ${response.status}`);
  };
  const { merged, perSlice } = await interleave({
    identity: (sliceMs) => load(me(run.identity.url), readConcurrency, sliceMs),
    gateway: async (sliceMs) => {
      const before = refused;
      const result = await load(me(`${run.gateway.url}/v1`), readConcurrency, sliceMs);
      refusedWithLimits += refused - before;
      return result;
    },
    unlimited: (sliceMs) => load(me(`${run.unlimited.url}/v1`), readConcurrency, sliceMs),
  });
  const { identity: direct, gateway: limited, unlimited } = merged;
  console.log(
    `GET /users/me at ${readConcurrency}: identity ${direct.perSecond.toFixed(0)}/s, gateway ${limited.perSecond.toFixed(0)}/s, ` +
      `gateway without limits ${unlimited.perSecond.toFixed(0)}/s, ${refusedWithLimits} refused with 429`,
  );
  const limitsFigure = ratioFigure(
    'GET /users/me limits on ÷ off',
    { label: 'limitsOnPerSecond', value: limited.perSecond },
    { label: 'limitsOffPerSecond', value: unlimited.perSecond },
    0.9,
    {
      limitsOn: { ...loadDetail(limited), perSlice: perSlice.gateway },
      limitsOff: { ...loadDetail(unlimited), perSlice: perSlice.unlimited },
      tooManyRequests: refusedWithLimits,
      rule: 'default',
    },
  );
  // A 429 would make the limited side faster, not slower: a run that refused anything proves nothing.
  if (refusedWithLimits > 0) limitsFigure.value = Number.NaN;
  return [
    ratioFigure(
      'GET /users/me gateway ÷ identity',
      { label: 'gatewayPerSecond', value: limited.perSecond },
      { label: 'identityPerSecond', value: direct.perSecond },
      0.85,
      { gateway: { ...loadDetail(limited), perSlice: perSlice.gateway }, identity: { ...loadDetail(direct), perSlice: perSlice.identity } },
    ),
    limitsFigure,
  ];
}

/** Figure 4: register → verification email accepted by SMTP, against a raw Kafka round trip and a raw SMTP send. */
async function emailPart(run: Running, profiling: boolean): Promise<Figure[]> {
  const mailpit = new Mailpit(run.stack.infra.mailpitUrl);
  // identity's EmailRequested as Kafka stamped it, to split the latency at the broker.
  const requests = new KafkaCollector(run.stack.infra.kafkaBrokers, [run.stack.topic(Topics.notificationEmailRequests)]);
  await requests.start();
  const registered: { email: string; answeredAt: number; sentAt: number }[] = [];
  const accepted: number[] = [];
  // One at a time, each email awaited before the next registration, as the raw round trips are timed:
  // the figure is the pipeline's latency, not the length of a queue a faster sender would build.
  for (let i = 0; i < emails; i++) {
    const email = `email-${i}.${run.stack.name}@bench.test`.toLowerCase();
    const sentAt = Date.now();
    const response = await fetch(`${run.gateway.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'Correct-Horse-Bench-42' }),
    });
    if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`);
    registered.push({ email, sentAt, answeredAt: Date.now() });
    // Mailpit's Created time is when SMTP accepted the message, so how often it is polled does not matter.
    const created = await waitFor(async () => (await mailpit.search(`to:"${email}"`))[0]?.Created, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: `the verification email to ${email}`,
    });
    accepted.push(Date.parse(created));
  }
  await requests.stop();
  if (profiling) return [];
  const publishedAt = new Map<string, number>();
  for (const { message } of requests.messages) {
    const event = fromKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} });
    if (isEvent(event, 'EmailRequested')) publishedAt.set(event.data.to, Number(message.timestamp));
  }
  const toKafka = registered.map(({ email, answeredAt }) => (publishedAt.get(email) ?? Number.NaN) - answeredAt);
  const kafkaToSmtp = registered.map(({ email }, i) => accepted[i]! - (publishedAt.get(email) ?? Number.NaN));
  const afterAnswer = registered.map(({ answeredAt }, i) => accepted[i]! - answeredAt);
  const afterRequest = registered.map(({ sentAt }, i) => accepted[i]! - sentAt);
  const kafka = await kafkaRoundTrip(run.stack.infra.kafkaBrokers.split(','), run.stack.topic('bench.round-trip'), 200);
  const smtp = await smtpSend(run.stack.infra.smtpHost, Number(run.stack.infra.smtpPort), 100, run.stack.name);
  const email = { p50Ms: percentile(afterAnswer, 0.5), p99Ms: percentile(afterAnswer, 0.99) };
  console.log(
    `register → email: p50 ${email.p50Ms} ms, p99 ${email.p99Ms} ms after the 201; Kafka round trip p50 ${kafka.p50Ms.toFixed(1)} ms, ` +
      `p99 ${kafka.p99Ms.toFixed(1)} ms; SMTP send p50 ${smtp.p50Ms.toFixed(1)} ms, p99 ${smtp.p99Ms.toFixed(1)} ms`,
  );
  console.log(
    `  201 → EmailRequested in Kafka: p50 ${percentile(toKafka, 0.5)} ms, p99 ${percentile(toKafka, 0.99)} ms; ` +
      `EmailRequested → SMTP accepted: p50 ${percentile(kafkaToSmtp, 0.5)} ms, p99 ${percentile(kafkaToSmtp, 0.99)} ms`,
  );
  return emailLatencyFigures(email, kafka, smtp, {
    registrations: emails,
    measuredFrom: 'the 201 answer (the outbox entry is written by then)',
    fromRequestP50Ms: percentile(afterRequest, 0.5),
    fromRequestP99Ms: percentile(afterRequest, 0.99),
    answerToEmailRequestedP50Ms: percentile(toKafka, 0.5),
    answerToEmailRequestedP99Ms: percentile(toKafka, 0.99),
    emailRequestedToSmtpP50Ms: percentile(kafkaToSmtp, 0.5),
    emailRequestedToSmtpP99Ms: percentile(kafkaToSmtp, 0.99),
  });
}

/** Figure 5: due purges end to end per second (the purge part builds its own stack). */
async function purgePart(): Promise<Figure[]> {
  const result = await runPurge({ accounts: purgeAccounts, jobsConcurrency });
  return [{ name: `${purgeAccounts} due purges end to end`, value: result.endToEnd.perSecond, unit: 'purges/s', detail: { ...result } }];
}

/**
 * The part again on a fresh stack whose services run with --cpu-prof, each writing its profile when it
 * exits; returns the directory and each service's top self-time functions.
 */
async function profile(
  part: string,
  rerun: (run: Running) => Promise<unknown>,
): Promise<{ directory: string; top: Record<string, ProfileSummary> }> {
  const directory = profileDirectory(output, part);
  const run = await startStack(`bench-profile-${part}`, directory);
  const names = new Map(Object.entries(run.processes()).map(([name, service]) => [service.pid, name]));
  try {
    await rerun(run);
  } finally {
    await run.stop();
  }
  const top: Record<string, ProfileSummary> = {};
  for (const service of readdirSync(directory)) {
    for (const file of readdirSync(join(directory, service)).filter((name) => name.endsWith('.cpuprofile'))) {
      // V8 names the file CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile.
      const name = names.get(Number(file.split('.')[3])) ?? service;
      top[name] = summariseProfile(readCpuProfile(join(directory, service, file)), 8, ROOT);
    }
  }
  for (const [name, summary] of Object.entries(top)) {
    console.log(`  ${part}: ${name} busy ${summary.busyMs} ms (idle ${summary.idlePercent} %)`);
    console.log(`    by package: ${summary.byPackage.map((entry) => `${entry.package} ${entry.percent} %`).join(', ')}`);
    for (const entry of summary.top) console.log(`    ${entry.percent.toFixed(1).padStart(5)} %  ${entry.function}`);
  }
  return { directory, top };
}

async function main(): Promise<void> {
  const before = machine();
  const parts: { name: string; run: (run: Running, profiling: boolean) => Promise<Figure[]> }[] = [
    { name: 'login', run: loginPart },
    { name: 'refresh', run: refreshPart },
    { name: 'read', run: (run) => readPart(run) },
    { name: 'email', run: emailPart },
  ];
  const only = process.env.BENCH_PARTS?.split(',');
  if (only) parts.splice(0, parts.length, ...parts.filter((part) => only.includes(part.name)));
  const figures: Figure[] = [];
  const byPart = new Map<string, Figure[]>();
  const run = await startStack('bench');
  try {
    for (const part of parts) {
      console.log(`— ${part.name}`);
      const measured = await part.run(run, false);
      byPart.set(part.name, measured);
      figures.push(...measured);
    }
  } finally {
    await run.stop();
  }
  if (purgeAccounts > 0) {
    console.log(`— purge of ${purgeAccounts} accounts`);
    figures.push(...(await purgePart()));
  }
  for (const part of parts) {
    const measured = byPart.get(part.name) ?? [];
    const missed = measured.filter((figure) => meets(figure) === false);
    if (profileMode === 'never' || (profileMode === 'missed' && missed.length === 0)) continue;
    console.log(`— ${part.name} again, profiled (${missed.map((figure) => figure.name).join('; ') || 'asked for'})`);
    const { directory, top } = await profile(part.name, (profiled) => part.run(profiled, true));
    for (const figure of profileMode === 'always' ? measured : missed) {
      figure.profile = directory;
      figure.detail = { ...figure.detail, profileTop: top };
    }
  }
  writeReport(output, 'bench', figures, { durationMs, rounds, warmupMs, machine: { before, after: machine() } });
}

runBench(main);
