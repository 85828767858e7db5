import { readFile } from 'node:fs/promises';
import { ConfigError } from '@solar/chassis';
import type { IdentityConfig } from '../config';
import { developmentKeys, parseSigningKeys, type SigningJwk } from './signing-keys';

/** Keys from the variable, else from the file, else (development only) the kept development key. */
export async function resolveSigningKeys(config: IdentityConfig): Promise<SigningJwk[]> {
  if (!config.JWT_SIGNING_KEYS && !config.JWT_SIGNING_KEYS_FILE) return developmentKeys(config.JWT_DEV_KEYS_FILE);
  const name = config.JWT_SIGNING_KEYS ? 'JWT_SIGNING_KEYS' : 'JWT_SIGNING_KEYS_FILE';
  try {
    return parseSigningKeys(config.JWT_SIGNING_KEYS ?? (await readFile(config.JWT_SIGNING_KEYS_FILE!, 'utf8')));
  } catch (error) {
    throw new ConfigError([`${name}: ${(error as Error).message}`]);
  }
}
