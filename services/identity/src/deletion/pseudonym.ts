import { createHmac, hkdfSync } from 'node:crypto';
import type { SealingKey } from '@solar/chassis';
import { PSEUDONYM_PREFIX, type Pseudonymiser } from '../audit/audit-log';

/**
 * Keyed hashes (HMAC-SHA256) for what the audit log keeps of a purged account. Keyed, so nobody
 * without the key can confirm a guess ("was this address ever here?") by hashing it; deterministic, so
 * the entries of one person still read as one history. The key is derived from the sealing key that is
 * active (HKDF with its own label): one secret fewer to deploy, and never the sealing key itself.
 */
export function createPseudonymiser(keys: SealingKey[]): Pseudonymiser {
  const [active] = keys;
  if (!active) throw new Error('pseudonyms need a key');
  const key = Buffer.from(hkdfSync('sha256', active.key, Buffer.alloc(0), 'solar-accounts audit pseudonyms', 32));
  // The kind is hashed too, so an address and a user id that happen to be equal strings differ.
  return (kind, value) => `${PSEUDONYM_PREFIX}${createHmac('sha256', key).update(`${kind}\n${value}`).digest('base64url').slice(0, 32)}`;
}
