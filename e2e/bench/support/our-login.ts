/**
 * The password-login load for OUR stack, shared by `npm run bench` and the peers' comparison: a pool of
 * registered, verified accounts, `login(worker)` signing the next one in through the gateway, and
 * `sessions(workers)` keeping one session per worker alive by refreshing it.
 *
 * Each worker cycles through accounts of its own (worker w takes accounts w, w + stride, w + 2·stride…),
 * so no two requests in flight name the same account: the per-address sign-in throttle and any
 * per-account contention stay out of the figure, which is about the sign-in path itself.
 *
 * The accounts are verified as a user would verify them: by the token in the link of the verify-email
 * EmailRequested that identity publishes, read from Kafka (so notification need not run), posted to
 * identity's `/auth/verify-email`. Nothing here writes identity's database or knows how it stores users.
 */
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector } from '@solar/chassis/testing';
import { Topics } from '@solar/contracts';
import type { TestStack } from '../../test/support/stack';

export interface LoginPoolOptions {
  /** The stack identity runs in: its name labels the accounts, its topics carry the verification links. */
  stack: TestStack;
  /** Identity's own address: accounts are registered and verified there, not through the gateway's register limit. */
  identityUrl: string;
  /** Where logins go: the gateway's address (requests go to `<gatewayUrl>/v1/auth/login`). */
  gatewayUrl: string;
  /** The most workers `login` will be called with; the pool holds `accountsPerWorker` accounts for each. */
  maxConcurrency: number;
  accountsPerWorker?: number;
}

export interface LoginPool {
  emails: string[];
  password: string;
  /** Signs the worker's next account in; resolves with its access token, throws on any other answer. */
  login(worker: number): Promise<string>;
  /**
   * Signs the next account of each of `workers` workers in and returns `refresh(worker)`, which keeps
   * that worker's session alive as a client does: it trades the session's refresh token at
   * `<gatewayUrl>/v1/auth/token/refresh` for the next pair and keeps the new one, since each rotation
   * spends the token presented. No two workers share a session, so no refresh races another.
   */
  sessions(workers: number): Promise<(worker: number) => Promise<void>>;
}

const PASSWORD = 'Correct-Horse-Bench-42';
const SETUP_CONCURRENCY = 4;

export async function prepareOurLogin(options: LoginPoolOptions): Promise<LoginPool> {
  const { stack } = options;
  const stride = options.maxConcurrency;
  const perWorker = options.accountsPerWorker ?? 8;
  const emails = Array.from({ length: stride * perWorker }, (_, i) => `login-${i}.${stack.name}@bench.test`.toLowerCase());
  const topic = stack.topic(Topics.notificationEmailRequests);
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'bench-our-login', logLevel: logLevel.NOTHING });
  // The collector subscribes before identity's first publish may have created the topic.
  await ensureTopics(kafka, [topic]);
  const collector = new KafkaCollector(stack.infra.kafkaBrokers, [topic]);
  await collector.start();
  try {
    await inBatches(emails, SETUP_CONCURRENCY, (email) => post(`${options.identityUrl}/auth/register`, { email, password: PASSWORD }, 201));
    // The links travel sealed (EMAIL_LINK_KEYS): the stack opens them as notification would.
    await inBatches(emails, SETUP_CONCURRENCY, async (email) => {
      const token = await stack.emailedToken(collector, email, 'verify-email');
      await post(`${options.identityUrl}/auth/verify-email`, { token }, 200);
    });
  } finally {
    await collector.stop();
  }

  const turns = new Map<number, number>();
  const signIn = async (worker: number): Promise<{ access: string; refresh: string }> => {
    if (worker >= stride) throw new Error(`worker ${worker} is beyond the pool's ${stride} workers`);
    const turn = turns.get(worker) ?? 0;
    turns.set(worker, turn + 1);
    const email = emails[worker + stride * (turn % perWorker)]!;
    return tokensOf(await post(`${options.gatewayUrl}/v1/auth/login`, { email, password: PASSWORD }, 200), 'login');
  };
  return {
    emails,
    password: PASSWORD,
    login: async (worker) => (await signIn(worker)).access,
    async sessions(workers) {
      const refreshTokens = await Promise.all(Array.from({ length: workers }, async (_, worker) => (await signIn(worker)).refresh));
      return async (worker) => {
        const url = `${options.gatewayUrl}/v1/auth/token/refresh`;
        refreshTokens[worker] = tokensOf(await post(url, { refresh_token: refreshTokens[worker] }, 200), 'refresh').refresh;
      };
    },
  };
}

function tokensOf(body: unknown, what: string): { access: string; refresh: string } {
  const { access_token: access, refresh_token: refresh } = body as { access_token?: unknown; refresh_token?: unknown };
  if (typeof access !== 'string' || typeof refresh !== 'string') throw new Error(`${what} answered 200 without a token pair`);
  return { access, refresh };
}

async function post(url: string, body: unknown, expected: number): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

async function inBatches<T>(items: T[], concurrency: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
