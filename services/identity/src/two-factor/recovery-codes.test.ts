import { RECOVERY_CODE_COUNT, hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('issues ten distinct codes of four groups of four Crockford symbols', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^([0-9a-hjkmnp-tv-z]{4}-){3}[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('reads a code back whatever its case, spacing and dashes, with look-alike letters mapped', () => {
    expect(normalizeRecoveryCode('ABCD-EFGH-JKMN-PQRS')).toBe('abcdefghjkmnpqrs');
    expect(normalizeRecoveryCode(' abcd efgh jkmn pqrs ')).toBe('abcdefghjkmnpqrs');
    expect(normalizeRecoveryCode('O0Il-0000-0000-0000')).toBe('0011000000000000');
  });

  it('refuses what cannot be a code', () => {
    for (const typed of ['', 'abcd-efgh-jkmn-pqr', 'abcd-efgh-jkmn-pqrst', 'abcd-efgh-jkmn-pqr!', 'uuuu-uuuu-uuuu-uuuu']) {
      expect(normalizeRecoveryCode(typed)).toBeNull();
    }
  });

  it('hashes a code differently for each account, and never to the code itself', () => {
    const code = normalizeRecoveryCode(newRecoveryCodes()[0]!)!;
    expect(hashRecoveryCode('user-a', code)).not.toBe(hashRecoveryCode('user-b', code));
    expect(hashRecoveryCode('user-a', code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-a', code)).not.toContain(code);
  });
});
