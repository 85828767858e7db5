import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a key ring: the first key seals, every key opens, so keys rotate by prepending a
 * new one and dropping the old one once nothing sealed with it remains.
 * Sealed text: `<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export interface Sealer {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export interface SealingKey {
  id: string;
  key: Buffer;
}

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

export function createSealer(keys: SealingKey[]): Sealer {
  const [active] = keys;
  if (!active) throw new Error('a sealer needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(active.id));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [active.id, iv, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [id, iv, tag, ciphertext] = sealed.split('.');
      const key = id ? byId.get(id) : undefined;
      if (!key || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('sealed value has an unknown key id or a broken format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(id!));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
