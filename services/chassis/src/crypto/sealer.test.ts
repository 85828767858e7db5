import { randomBytes } from 'node:crypto';
import { createSealer, parseKeyRing } from './sealer';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('sealer', () => {
  it('opens what it sealed, and the sealed text does not contain the plaintext', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const sealed = sealer.seal('https://app.example/verify?token=abc123');
    expect(sealed).not.toContain('abc123');
    expect(sealed.startsWith('k1.')).toBe(true);
    expect(sealer.open(sealed)).toBe('https://app.example/verify?token=abc123');
  });

  it('seals with the first key and still opens with older ones after rotation', () => {
    const old = keyText('k1');
    const sealedWithOld = createSealer(parseKeyRing(old)).seal('secret');
    const rotated = createSealer(parseKeyRing(`${keyText('k2')},${old}`));
    expect(rotated.open(sealedWithOld)).toBe('secret');
    expect(rotated.seal('x').startsWith('k2.')).toBe(true);
  });

  it('refuses a tampered ciphertext', () => {
    const sealer = createSealer(parseKeyRing(keyText('k1')));
    const parts = sealer.seal('transfer 10').split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => sealer.open(parts.join('.'))).toThrow();
  });

  it('refuses a ciphertext relabelled with another key id', () => {
    const ring = parseKeyRing(`${keyText('k2')},${keyText('k1')}`);
    const sealed = createSealer(ring).seal('x');
    expect(() => createSealer(ring).open(sealed.replace(/^k2\./, 'k1.'))).toThrow();
  });

  it.each(['', 'k1', 'k1:short', 'bad id:' + randomBytes(32).toString('base64')])('rejects key ring %p', (text) => {
    expect(() => parseKeyRing(text)).toThrow();
  });
});
