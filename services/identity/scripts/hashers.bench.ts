/*
 * Compares the two argon2id bindings, `argon2` (the C reference code) and `@node-rs/argon2` (the Rust
 * `argon2` crate), at identity's cost: verifications per second 4 and 1 in flight, the peak resident
 * set of a process verifying 4 deep, with and without glibc's mmap threshold pinned, and whether the
 * two give byte-identical hashes and verify each other's. Run from the repository root:
 * `node_modules/.bin/tsx services/identity/scripts/hashers.bench.ts` (HASHERS_DURATION_MS, default
 * 5000, per speed figure; HASHERS_VERIFICATIONS, default 200, per memory figure).
 *
 * Each figure comes from a fresh child process, so one binding's threads and heap never colour the
 * other's figure.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hash as rustHash, verify as rustVerify } from '@node-rs/argon2';
import argon2 from 'argon2';
import { ARGON2ID_COST, type PasswordHasher } from '../src/users/password-hasher';

/** A binding at identity's cost; `salt` only to compare bindings byte for byte (a random one otherwise). */
interface Argon2Binding extends PasswordHasher {
  hash(password: string, salt?: Buffer): Promise<string>;
}

/** The C reference code's binding, which wrote identity's hashes until 8 Dec 2026. */
const argon2Binding: Argon2Binding = {
  hash: (password, salt) => argon2.hash(password, { type: argon2.argon2id, ...ARGON2ID_COST, ...(salt ? { salt } : {}) }),
  verify: (hash, password) => argon2.verify(hash, password),
};

/** What identity runs (src/users/password-hasher.ts), with a salt of the caller's choosing. */
const nodeRsBinding: Argon2Binding = {
  hash: (password, salt) => rustHash(password, { ...ARGON2ID_COST, ...(salt ? { salt } : {}) }),
  verify: (hash, password) => rustVerify(hash, password),
};

const PASSWORD = 'a bench password nobody uses';
const BINDINGS: Record<string, Argon2Binding> = { argon2: argon2Binding, '@node-rs/argon2': nodeRsBinding };
/** Below the 19 MiB argon2 buffer: glibc maps each one on its own and unmaps it when freed (see docs/operations.md). */
const MMAP_THRESHOLD = { MALLOC_MMAP_THRESHOLD_: String(1 << 20) };

type Measurement =
  | { kind: 'speed'; binding: string; inFlight: number; durationMs: number }
  | { kind: 'memory'; binding: string; inFlight: number; verifications: number };

interface Answer {
  perSecond?: number;
  cpuMsPerVerification?: number;
  peakRssMB: number;
  idleRssMB: number;
}

/** `inFlight` loops each verifying again as soon as the last answered, until `until` returns true. */
async function verifyLoop(binding: Argon2Binding, hash: string, inFlight: number, until: () => boolean): Promise<number> {
  let count = 0;
  const loop = async () => {
    while (!until()) {
      if (!(await binding.verify(hash, PASSWORD))) throw new Error('a binding refused its own hash');
      count++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  return count;
}

function residentMB(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function measureHere(request: Measurement): Promise<Answer> {
  const binding = BINDINGS[request.binding];
  if (!binding) throw new Error(`no binding named ${request.binding}`);
  const idleRssMB = residentMB('VmRSS');
  const hash = await binding.hash(PASSWORD);
  if (request.kind === 'memory') {
    let started = 0;
    await verifyLoop(binding, hash, request.inFlight, () => started++ >= request.verifications);
    return { peakRssMB: residentMB('VmHWM'), idleRssMB };
  }
  await verifyLoop(
    binding,
    hash,
    request.inFlight,
    (
      (end) => () =>
        performance.now() >= end
    )(performance.now() + 1_000),
  );
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + request.durationMs;
  const count = await verifyLoop(binding, hash, request.inFlight, () => performance.now() >= end);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    perSecond: count / ((performance.now() - start) / 1000),
    cpuMsPerVerification: (cpu.user + cpu.system) / 1000 / count,
    peakRssMB: residentMB('VmHWM'),
    idleRssMB,
  };
}

function measureInChild(request: Measurement, env: Record<string, string> = {}): Promise<Answer> {
  // Under tsx this file runs as TypeScript: fork() keeps tsx's loader (execArgv).
  const child = fork(__filename, { env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', (answer) => resolve(answer as Answer));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${request.binding} child exited with ${code} before it answered`)));
    child.send(request);
  });
}

/** Same password, salt and cost: the PHC strings must match byte for byte, and each must verify the other's hashes. */
async function parity(): Promise<string[]> {
  const salt = Buffer.from('0123456789abcdef');
  const [fromC, fromRust] = [await argon2Binding.hash(PASSWORD, salt), await nodeRsBinding.hash(PASSWORD, salt)];
  const [randomC, randomRust] = [await argon2Binding.hash(PASSWORD), await nodeRsBinding.hash(PASSWORD)];
  return [
    `same salt, identical PHC strings: ${fromC === fromRust} (${fromC})`,
    `@node-rs/argon2 verifies argon2's hash: ${await nodeRsBinding.verify(randomC, PASSWORD)}, refuses a wrong password: ${!(await nodeRsBinding.verify(randomC, 'wrong'))}`,
    `argon2 verifies @node-rs/argon2's hash: ${await argon2Binding.verify(randomRust, PASSWORD)}, refuses a wrong password: ${!(await argon2Binding.verify(randomRust, 'wrong'))}`,
  ];
}

async function main(): Promise<void> {
  const durationMs = Number(process.env.HASHERS_DURATION_MS ?? 5_000);
  const verifications = Number(process.env.HASHERS_VERIFICATIONS ?? 200);
  const cost = `m=${ARGON2ID_COST.memoryCost},t=${ARGON2ID_COST.timeCost},p=${ARGON2ID_COST.parallelism}`;
  console.log(
    `argon2id ${cost}; load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(
    '| binding | verifications/s, 4 in flight | 1 in flight | CPU ms/verification | peak RSS, N=' +
      verifications +
      ' 4 deep | same, MALLOC_MMAP_THRESHOLD_=1 MiB |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const binding of Object.keys(BINDINGS)) {
    const four = await measureInChild({ kind: 'speed', binding, inFlight: 4, durationMs });
    const one = await measureInChild({ kind: 'speed', binding, inFlight: 1, durationMs });
    const memory = await measureInChild({ kind: 'memory', binding, inFlight: 4, verifications });
    const mapped = await measureInChild({ kind: 'memory', binding, inFlight: 4, verifications }, MMAP_THRESHOLD);
    const cells = [four.perSecond?.toFixed(1), one.perSecond?.toFixed(1), one.cpuMsPerVerification?.toFixed(1)];
    console.log(`| ${binding} | ${cells.join(' | ')} | ${memory.peakRssMB} MB (idle ${memory.idleRssMB}) | ${mapped.peakRssMB} MB |`);
  }
  console.log(`\n${(await parity()).map((line) => `- ${line}`).join('\n')}`);
}

if (process.send && require.main === module) {
  process.once('message', (request: Measurement) => {
    void measureHere(request).then((answer) => process.send!(answer, () => process.exit(0)));
  });
} else if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
