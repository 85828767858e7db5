/**
 * The password-login load for OUR stack, shared by `npm run bench` and the peers' comparison: a pool of
 * registered, verified accounts, and `login(worker)` signing the next one in through the gateway.
 *
 * Each worker cycles through accounts of its own (worker w takes accounts w, w + stride, w + 2·stride…),
 * so no two requests in flight name the same account: the per-address sign-in throttle and any
 * per-account contention stay out of the figure, which is about the sign-in path itself.
 */
import mongoose from 'mongoose';

export interface LoginPoolOptions {
  /** Identity's own address: accounts are registered there, not through the gateway's register limit. */
  identityUrl: string;
  /** Identity's database, where the accounts are marked verified as following the emailed link would. */
  identityMongoUrl: string;
  /** Where logins go: the gateway's address (requests go to `<gatewayUrl>/v1/auth/login`). */
  gatewayUrl: string;
  /** Unique per run, so repeated runs never collide on an address. */
  label: string;
  /** The most workers `login` will be called with; the pool holds `accountsPerWorker` accounts for each. */
  maxConcurrency: number;
  accountsPerWorker?: number;
}

export interface LoginPool {
  emails: string[];
  password: string;
  /** Signs the worker's next account in; resolves with its access token, throws on any other answer. */
  login(worker: number): Promise<string>;
}

const PASSWORD = 'Correct-Horse-Bench-42';
const REGISTER_CONCURRENCY = 4;

export async function prepareOurLogin(options: LoginPoolOptions): Promise<LoginPool> {
  const stride = options.maxConcurrency;
  const perWorker = options.accountsPerWorker ?? 8;
  const emails = Array.from({ length: stride * perWorker }, (_, i) => `login-${i}.${options.label}@bench.test`.toLowerCase());
  await inBatches(emails, REGISTER_CONCURRENCY, async (email) => {
    const response = await fetch(`${options.identityUrl}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (response.status !== 201) throw new Error(`registering ${email} answered ${response.status}: ${await response.text()}`);
  });
  const db = await mongoose.createConnection(options.identityMongoUrl).asPromise();
  try {
    const { modifiedCount } = await db
      .collection('users')
      .updateMany({ email: { $in: emails } }, { $set: { emailVerifiedAt: new Date() } });
    if (modifiedCount !== emails.length) throw new Error(`${modifiedCount} of ${emails.length} accounts marked verified`);
  } finally {
    await db.close();
  }

  const turns = new Map<number, number>();
  return {
    emails,
    password: PASSWORD,
    async login(worker) {
      if (worker >= stride) throw new Error(`worker ${worker} is beyond the pool's ${stride} workers`);
      const turn = turns.get(worker) ?? 0;
      turns.set(worker, turn + 1);
      const email = emails[worker + stride * (turn % perWorker)]!;
      const response = await fetch(`${options.gatewayUrl}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
  };
}

async function inBatches<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
