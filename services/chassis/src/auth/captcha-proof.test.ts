import { isCaptchaProofValid, isPagesProofValid, signCaptchaProof, signPagesProof } from './captcha-proof';

const KEY = 'k'.repeat(32);
const now = new Date('2030-01-01T00:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('CAPTCHA proof', () => {
  it('holds for the address it was signed for, within its lifetime', () => {
    const proof = signCaptchaProof(KEY, 'ada@example.test', now);
    expect(isCaptchaProofValid(KEY, proof, 'ada@example.test', later(29_000))).toBe(true);
    expect(isCaptchaProofValid(KEY, proof, 'ada@example.test', later(-4_000))).toBe(true);
  });

  it('is refused for another address, with another key, once stale or from the future', () => {
    const proof = signCaptchaProof(KEY, 'ada@example.test', now);
    expect(isCaptchaProofValid(KEY, proof, 'bob@example.test', now)).toBe(false);
    expect(isCaptchaProofValid('o'.repeat(32), proof, 'ada@example.test', now)).toBe(false);
    expect(isCaptchaProofValid(KEY, proof, 'ada@example.test', later(31_000))).toBe(false);
    expect(isCaptchaProofValid(KEY, proof, 'ada@example.test', later(-6_000))).toBe(false);
  });

  it('is refused when forged, altered or absent', () => {
    const proof = signCaptchaProof(KEY, 'ada@example.test', now);
    const [version, issuedAt, signature] = proof.split('.') as [string, string, string];
    // A later time with the same signature: the time is signed too.
    expect(isCaptchaProofValid(KEY, `${version}.${Number(issuedAt) + 1}.${signature}`, 'ada@example.test', now)).toBe(false);
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(isCaptchaProofValid(KEY, `${version}.${issuedAt}.${flipped}`, 'ada@example.test', now)).toBe(false);
    for (const forged of [undefined, '', 'yes', 'true', `v2.${issuedAt}.${signature}`, `${proof}.x`, `v1.${issuedAt}.${'A'.repeat(43)}`])
      expect(isCaptchaProofValid(KEY, forged, 'ada@example.test', now)).toBe(false);
  });
});

describe('pages proof', () => {
  it('passes for its own purpose only: a CAPTCHA proof is no pages proof, nor the reverse', () => {
    const pages = signPagesProof(KEY, 'ada@example.test', now);
    expect(isPagesProofValid(KEY, pages, 'ada@example.test', now)).toBe(true);
    expect(isCaptchaProofValid(KEY, pages, 'ada@example.test', now)).toBe(false);
    expect(isPagesProofValid(KEY, signCaptchaProof(KEY, 'ada@example.test', now), 'ada@example.test', now)).toBe(false);
    expect(isPagesProofValid(KEY, pages, 'bob@example.test', now)).toBe(false);
  });
});
