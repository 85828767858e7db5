import { createCipheriv, randomBytes } from 'node:crypto';
import { createSealer, parseKeyRing, type SealingKey } from './sealer';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const USER_A = 'identity.users/user-a/twoFactor.secret';

/** A value in the format sealed before contexts existed: AAD is the key id alone. */
function legacySeal({ id, key }: SealingKey, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [id, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
}

/** The same value with its tag cut to `bytes`: GCM without a fixed tag length would still check it. */
function withTagCut(sealed: string, bytes: number): string {
  const parts = sealed.split('.');
  const tagIndex = parts.length - 2;
  parts[tagIndex] = Buffer.from(parts[tagIndex]!, 'base64url').subarray(0, bytes).toString('base64url');
  return parts.join('.');
}

describe('sealer', () => {
  it('opens what it sealed, and the sealed text does not contain the plaintext', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const sealed = sealer.seal('https://app.example/verify?token=abc123', 'outbox/event-1');
    expect(sealed).not.toContain('abc123');
    expect(sealed).toMatch(/^v2\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealer.isLegacy(sealed)).toBe(false);
    expect(sealer.open(sealed, 'outbox/event-1')).toBe('https://app.example/verify?token=abc123');
  });

  it('seals with the first key and still opens with older ones after rotation', () => {
    const old = keyText('k1');
    const sealedWithOld = createSealer(parseKeyRing(old)).seal('secret', USER_A);
    const rotated = createSealer(parseKeyRing(`${keyText('k2')},${old}`));
    expect(rotated.open(sealedWithOld, USER_A)).toBe('secret');
    expect(rotated.seal('x', USER_A).startsWith('v2.k2.')).toBe(true);
  });

  it('refuses a tampered ciphertext', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const parts = sealer.seal('transfer 10', 'outbox/event-1').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'outbox/event-1')).toThrow();
  });

  it('refuses a ciphertext relabelled with another key id', () => {
    const ring = parseKeyRing(`${keyText('k2')},${keyText('k1')}`);
    const sealed = createSealer(ring).seal('x', USER_A);
    expect(() => createSealer(ring).open(sealed.replace(/^v2\.k2\./, 'v2.k1.'), USER_A)).toThrow();
  });

  // The attack of finding 9: someone who can write the database moves a sealed value to another record or field.
  it('refuses a value sealed for one record when opened as another record or another field', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const sealed = sealer.seal('JBSWY3DPEHPK3PXP', USER_A);
    expect(() => sealer.open(sealed, 'identity.users/user-b/twoFactor.secret')).toThrow();
    expect(() => sealer.open(sealed, 'identity.users/user-a/twoFactor.pendingSecret')).toThrow();
    expect(() => sealer.open(sealed, 'outbox/user-a')).toThrow();
    expect(sealer.open(sealed, USER_A)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a sealed outbox value swapped onto another entry', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const first = sealer.seal('{"to":"victim@example.test"}', 'outbox/event-1');
    expect(() => sealer.open(first, 'outbox/event-2')).toThrow();
  });

  it.each([4, 8, 12, 15])('refuses a tag cut to %p bytes', (bytes) => {
    const ring = parseKeyRing(keyText('k1'));
    const sealer = createSealer(ring);
    expect(() => sealer.open(withTagCut(sealer.seal('secret', USER_A), bytes), USER_A)).toThrow();
    // The old format gets the same check.
    expect(() => sealer.open(withTagCut(legacySeal(ring[0]!, 'secret'), bytes), USER_A, { legacy: true })).toThrow();
  });

  it('opens an old-format value only where the caller allows it, and says it needs re-sealing', () => {
    const ring = parseKeyRing(keyText('k1'));
    const sealer = createSealer(ring);
    const legacy = legacySeal(ring[0]!, 'JBSWY3DPEHPK3PXP');
    expect(sealer.isLegacy(legacy)).toBe(true);
    expect(() => sealer.open(legacy, USER_A)).toThrow(/old format/);
    expect(sealer.open(legacy, USER_A, { legacy: true })).toBe('JBSWY3DPEHPK3PXP');
    // Re-sealed, it is bound to its record like any new value.
    const resealed = sealer.seal(sealer.open(legacy, USER_A, { legacy: true }), USER_A);
    expect(sealer.isLegacy(resealed)).toBe(false);
    expect(() => sealer.open(resealed, 'identity.users/user-b/twoFactor.secret', { legacy: true })).toThrow();
  });

  it.each(['', 'v2.k1', 'v2.k1.a.b', 'k1.a.b', 'v3.k1.a.b.c', 'v2.k1.a.b.c.d'])('refuses the broken value %p', (sealed) => {
    expect(() => createSealer(parseKeyRing(keyText('k1'))).open(sealed, USER_A, { legacy: true })).toThrow();
  });

  it.each(['', 'k1', 'k1:short', 'bad id:' + randomBytes(32).toString('base64')])('rejects key ring %p', (text) => {
    expect(() => parseKeyRing(text)).toThrow();
  });
});
