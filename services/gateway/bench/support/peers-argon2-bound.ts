/**
 * The physical bound of a password login here: argon2id verifications per second of identity's own
 * hasher (its parameters, its native binding), in a Node process of its own, as identity would run
 * it, kept `concurrency` deep. No login can go faster on these cores.
 */
import { fork } from 'node:child_process';
import { argon2idHasher } from '@solar/identity/dist/src/users/password-hasher';
import { runLoad, type LoadResult } from './load';

export interface BoundOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

const CHILD_FLAG = 'argon2-bound-child';

/** Runs the verifications in a child process and resolves with what it measured. */
export function measureArgon2Bound(options: BoundOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // execArgv is inherited: under tsx, the child loads this TypeScript file the same way.
    const child = fork(__filename, [CHILD_FLAG, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      result ? resolve(result) : reject(new Error(`the argon2id bound process exited (${signal ?? code}) without a result`)),
    );
  });
}

async function childMain(options: BoundOptions): Promise<void> {
  const password = 'the bound of a login';
  const hash = await argon2idHasher.hash(password);
  const result = await runLoad({
    ...options,
    request: async () => {
      if (!(await argon2idHasher.verify(hash, password))) throw new Error('argon2id refused its own hash');
    },
  });
  process.send!(result, () => process.exit(0));
}

if (require.main === module && process.argv[2] === CHILD_FLAG && process.send) {
  childMain(JSON.parse(process.argv[3]!) as BoundOptions).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
