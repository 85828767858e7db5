import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentKeys, generateSigningKey, parseSigningKeys } from './signing-keys';

describe('parseSigningKeys', () => {
  it('reads a JWK set newest first, or a bare list', async () => {
    const a = await generateSigningKey('a');
    const b = await generateSigningKey('b');
    expect(parseSigningKeys(JSON.stringify({ keys: [a, b] })).map((k) => k.kid)).toEqual(['a', 'b']);
    expect(parseSigningKeys(JSON.stringify([b, a])).map((k) => k.kid)).toEqual(['b', 'a']);
  });

  it('accepts a set whose only private key is not the first', async () => {
    const { d: _d, ...publicOnly } = await generateSigningKey('public');
    const signer = await generateSigningKey('signer');
    expect(parseSigningKeys(JSON.stringify({ keys: [publicOnly, signer] }))).toHaveLength(2);
  });

  it('refuses a set without any private key', async () => {
    const { d: _d, ...publicOnly } = await generateSigningKey('public');
    expect(() => parseSigningKeys(JSON.stringify({ keys: [publicOnly] }))).toThrow('no key has a private part (d) to sign with');
  });

  it('refuses repeated key ids', async () => {
    const a = await generateSigningKey('same');
    const b = await generateSigningKey('same');
    expect(() => parseSigningKeys(JSON.stringify({ keys: [a, b] }))).toThrow('key ids (kid) must be unique');
  });

  it('refuses a symmetric key and a mismatched curve', async () => {
    expect(() => parseSigningKeys(JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' }] }))).toThrow();
    const ed = await generateSigningKey('ed');
    expect(() => parseSigningKeys(JSON.stringify({ keys: [{ ...ed, alg: 'ES256' }] }))).toThrow('alg and crv do not match');
  });

  it('names no key material when it refuses', async () => {
    const key = await generateSigningKey('secret-bearing');
    const broken = JSON.stringify({ keys: [{ ...key, crv: 'P-256' }] });
    let message = '';
    try {
      parseSigningKeys(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(key.d!);
    expect(message).not.toContain(key.x);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseSigningKeys('not json')).toThrow('is not JSON');
  });
});

describe('developmentKeys', () => {
  it('makes an Ed25519 key once, private to its owner, and returns the same key on the next start', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'dev-keys-'));
    const file = join(folder, 'nested', 'jwt-signing-keys.json');
    try {
      const first = await developmentKeys(file);
      expect(first).toEqual([expect.objectContaining({ alg: 'EdDSA', crv: 'Ed25519', d: expect.any(String) })]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(await developmentKeys(file)).toEqual(first);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
