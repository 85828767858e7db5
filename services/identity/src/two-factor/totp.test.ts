import { TOTP_SETTINGS, matchTotp, newTotpSecret, totpAt, totpUri, type TotpSettings } from './totp';

// RFC 6238 Appendix B: the seeds are ASCII digits, 20/32/64 bytes for SHA-1/256/512; codes have 8 digits.
const seeds = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const vectors: [seconds: number, sha1: string, sha256: string, sha512: string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP against RFC 6238 Appendix B', () => {
  for (const [seconds, ...codes] of vectors) {
    (['sha1', 'sha256', 'sha512'] as const).forEach((algorithm, i) => {
      it(`gives ${codes[i]} with ${algorithm} at ${seconds}s`, async () => {
        const settings: TotpSettings = { algorithm, digits: 8, period: 30 };
        expect(await totpAt(new Uint8Array(seeds[algorithm]), at(seconds), settings)).toBe(codes[i]);
      });
    });
  }

  it('uses 6 digits, 30-second steps and SHA-1 by default: the last six digits of the SHA-1 vectors', async () => {
    expect(TOTP_SETTINGS).toEqual({ algorithm: 'sha1', digits: 6, period: 30 });
    for (const [seconds, sha1] of vectors) {
      expect(await totpAt(new Uint8Array(seeds.sha1), at(seconds))).toBe(sha1.slice(2));
    }
  });
});

describe('matching a presented code', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-03-01T10:00:15Z');
  const step = Math.floor(now.getTime() / 30_000);

  it('accepts the current step and one either side, and says which step matched', async () => {
    for (const offset of [-1, 0, 1]) {
      const code = await totpAt(secret, new Date(now.getTime() + offset * 30_000));
      expect(await matchTotp(secret, code, now, null)).toBe(step + offset);
    }
  });

  it('refuses codes two steps away', async () => {
    for (const offset of [-2, 2]) {
      const code = await totpAt(secret, new Date(now.getTime() + offset * 30_000));
      expect(await matchTotp(secret, code, now, null)).toBeNull();
    }
  });

  it('refuses a code whose step is at or before the last one used', async () => {
    const code = await totpAt(secret, now);
    expect(await matchTotp(secret, code, now, step)).toBeNull();
    expect(await matchTotp(secret, code, now, step + 1)).toBeNull();
    expect(await matchTotp(secret, code, now, step - 1)).toBe(step);
  });

  it('refuses a code made with another secret', async () => {
    expect(await matchTotp(secret, await totpAt(newTotpSecret(), now), now, null)).toBeNull();
  });

  it('makes 160-bit Base32 secrets and an otpauth URI naming issuer and account, the standard settings implied', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri({ secret, account: 'ada@example.test', issuer: 'Solar Intelligence' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Solar Intelligence:ada@example.test');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret, issuer: 'Solar Intelligence' });
  });
});
