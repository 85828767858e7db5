import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a key ring: the first key seals, every key opens, so keys rotate by prepending a
 * new one and dropping the old one once nothing sealed with it remains.
 *
 * Sealed text: `v2.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts. The additional authenticated
 * data is the version, the key id and the caller's context (the record and field the value belongs
 * to, such as `identity.users/<userId>/twoFactor.secret`), so a value copied to another record or
 * field, or relabelled with another key id, does not open. Tags are exactly 16 bytes: GCM would
 * otherwise check a truncated tag of as little as 4 bytes, which a forger can guess.
 *
 * Values sealed before contexts existed (`<keyId>.<iv>.<tag>.<ciphertext>`, bound only to the key id)
 * open only where the caller passes `{ legacy: true }` for that field; callers re-seal them in the
 * current format on their next write (see docs/operations.md, key rotation).
 */
export interface Sealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string, options?: OpenOptions): string;
  /** True for a value in the old, context-free format: the caller should re-seal it. */
  isLegacy(sealed: string): boolean;
}

export interface OpenOptions {
  /**
   * Accept the old format for this field. Such a value is bound to nothing but its key id, so it could
   * have been copied from another record: allow it only for fields that must keep working across the
   * upgrade, and re-seal on the next write.
   */
  legacy?: boolean;
}

export interface SealingKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads `id:base64key,id2:base64key2` (each key 32 bytes); throws naming what is wrong. */
export function parseKeyRing(text: string): SealingKey[] {
  const keys = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, encoded] = part.split(':');
      if (!id || !encoded || !/^[A-Za-z0-9_-]+$/.test(id)) throw new Error('each key must look like "<id>:<base64 key>"');
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes of base64, got ${key.length}`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('at least one key is required');
  return keys;
}

// Key ids cannot hold a dot or a newline, so neither the id nor the context can be shifted into the other.
const aadOf = (id: string, context: string) => Buffer.from(`${VERSION}\n${id}\n${context}`, 'utf8');

export function createSealer(keys: SealingKey[]): Sealer {
  const [active] = keys;
  if (!active) throw new Error('a sealer needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));

  const decrypt = (parts: { id: string; iv: string; tag: string; ciphertext: string }, aad: Buffer): string => {
    const key = byId.get(parts.id);
    if (!key) throw new Error('sealed value has an unknown key id');
    const iv = Buffer.from(parts.iv, 'base64url');
    const tag = Buffer.from(parts.tag, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('sealed value has a broken format');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(parts.ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  };

  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadOf(active.id, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, active.id, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
    },
    open(sealed, context, options = {}) {
      const parts = sealed.split('.');
      if (parts.length === 5 && parts[0] === VERSION) {
        const [, id, iv, tag, ciphertext] = parts as [string, string, string, string, string];
        return decrypt({ id, iv, tag, ciphertext }, aadOf(id, context));
      }
      if (parts.length === 4) {
        if (!options.legacy) throw new Error('sealed value is in the old format, not accepted for this field');
        const [id, iv, tag, ciphertext] = parts as [string, string, string, string];
        return decrypt({ id, iv, tag, ciphertext }, Buffer.from(id));
      }
      throw new Error('sealed value has a broken format');
    },
    isLegacy(sealed) {
      return sealed.split('.').length === 4;
    },
  };
}
