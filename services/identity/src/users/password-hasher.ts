import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id baseline (m=19 MiB, t=2, p=1): about 12 ms of CPU a hash on one core here. */
export const ARGON2ID_COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * The Rust argon2 crate's binding: the same PHC strings as the C reference's `argon2` package that
 * wrote the stored hashes (password-hasher.test.ts), at half its CPU (docs/benchmarks.md, 8 Dec).
 * Argon2id is its default algorithm and 0x13 its default version.
 */
export const argon2idHasher: PasswordHasher = {
  hash: (password) => hash(password, ARGON2ID_COST),
  verify: (stored, password) => verify(stored, password),
};
