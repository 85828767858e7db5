import { TOKEN_PATTERN, hashToken, issueOneTimeToken, refusalOf } from './one-time-token';

describe('one-time tokens', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('carries 256 random bits in a URL-safe form that matches the accepted pattern', () => {
    const token = issueOneTimeToken(now, 1_000);
    expect(Buffer.from(token.value, 'base64url')).toHaveLength(32);
    expect(token.value).toMatch(TOKEN_PATTERN);
  });

  it('stores only a SHA-256 that differs from the value', () => {
    const token = issueOneTimeToken(now, 1_000);
    expect(token.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token.hash).not.toContain(token.value);
    expect(hashToken(token.value)).toBe(token.hash);
  });

  it('expires after its time to live', () => {
    expect(issueOneTimeToken(now, 86_400_000).expiresAt.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('never repeats', () => {
    const values = new Set(Array.from({ length: 1_000 }, () => issueOneTimeToken(now, 1).value));
    expect(values.size).toBe(1_000);
  });
});

describe('refusalOf', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const token = issueOneTimeToken(now, 3_600_000);
  const stored = { hash: token.hash, purpose: 'password-reset' as const, expiresAt: token.expiresAt, usedAt: null, createdAt: now };

  it('accepts a live, unused token', () => {
    expect(refusalOf(token.value, stored, now)).toBeNull();
  });

  it.each([
    ['a malformed token', 'short', stored, 'token_malformed'],
    ['a token nobody issued', 'A'.repeat(43), undefined, 'token_invalid'],
    ['a used token', token.value, { ...stored, usedAt: now }, 'token_used'],
    ['an expired token', token.value, { ...stored, expiresAt: now }, 'token_expired'],
  ] as const)('refuses %s with its own code', (_label, presented, record, code) => {
    expect(refusalOf(presented, record, now)).toBe(code);
  });

  it('reports a used token as used even after it expired', () => {
    expect(refusalOf(token.value, { ...stored, usedAt: now, expiresAt: now }, new Date(now.getTime() + 1))).toBe('token_used');
  });
});
