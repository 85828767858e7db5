/**
 * The physical bound of password sign-in: identity's own hasher verifying identity's own hash, in a
 * Node process of its own (so neither the bench nor a service shares its event loop or thread pool),
 * at a concurrency that keeps every core busy. argon2 runs on libuv's thread pool (4 threads by
 * default), so 2 per core is enough to fill them.
 */
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { argon2idHasher } from '@solar/identity';
import { runLoad, type LoadResult } from './load';

interface Request {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

export interface Argon2Result extends LoadResult {
  /** The hash's parameter segment, e.g. `m=19456,t=2,p=1`: proof the bound used identity's cost. */
  parameters: string;
  /** CPU time of one verification (every thread of the verifier, warm-up included in both counts). */
  cpuMsPerVerification: number;
}

const PASSWORD = 'a bench password nobody uses';

/** Runs the verifications in a child process and resolves with its count. */
export function measureArgon2(options: Partial<Request> & { durationMs: number }): Promise<Argon2Result> {
  const request: Request = { concurrency: options.concurrency ?? 2 * cpus().length, warmupMs: options.warmupMs ?? 2_000, ...options };
  // Under tsx the bench runs this file as TypeScript; compiled, as JavaScript. fork() keeps tsx's loader (execArgv).
  const child = fork(__filename);
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as Argon2Result));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the argon2id verifier exited with ${code} before it answered`)));
    child.send(request);
  });
}

async function verifyInThisProcess(request: Request): Promise<Argon2Result> {
  const hash = await argon2idHasher.hash(PASSWORD);
  let verifications = 0;
  const cpuBefore = process.cpuUsage();
  const result = await runLoad({
    ...request,
    keepLatencies: true,
    request: async () => {
      if (!(await argon2idHasher.verify(hash, PASSWORD))) throw new Error('argon2id refused its own hash');
      verifications++;
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerVerification = (cpu.user + cpu.system) / 1000 / verifications;
  return { ...result, parameters: hash.split('$')[3] ?? '', cpuMsPerVerification };
}

if (process.send && require.main === module) {
  process.once('message', (request: Request) => {
    void verifyInThisProcess(request).then((result) => process.send!(result, () => process.exit(0)));
  });
}
