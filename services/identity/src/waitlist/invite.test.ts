import { issueOneTimeToken } from '../tokens/one-time-token';
import { inviteRefusal } from './invite';

const now = new Date('2026-03-01T10:00:00Z');
const token = issueOneTimeToken(now, 7 * 86_400_000);
const entry = (invite: { usedAt?: Date | null; expiresAt?: Date } = {}) => ({
  email: 'ada@example.test',
  invite: { hash: token.hash, expiresAt: token.expiresAt, usedAt: null, ...invite },
});
const codeOf = (error: ReturnType<typeof inviteRefusal>) => error?.code ?? null;

describe('invite refusal', () => {
  it('accepts an unused, unexpired invite for its own address', () => {
    expect(inviteRefusal(token.value, entry(), 'ada@example.test', now)).toBeNull();
  });

  it('refuses what we never issue before anything else', () => {
    expect(codeOf(inviteRefusal('short', entry(), 'ada@example.test', now))).toBe('token_malformed');
  });

  it('refuses an unknown invite, and an entry that has none', () => {
    expect(codeOf(inviteRefusal(token.value, null, 'ada@example.test', now))).toBe('token_invalid');
    expect(codeOf(inviteRefusal(token.value, { email: 'ada@example.test', invite: null }, 'ada@example.test', now))).toBe('token_invalid');
  });

  it('refuses another address with a 403', () => {
    const refusal = inviteRefusal(token.value, entry(), 'eve@example.test', now);
    expect(codeOf(refusal)).toBe('invite_mismatch');
    expect(refusal?.status).toBe(403);
  });

  it('refuses a used invite, and an expired one from the instant it expires', () => {
    expect(codeOf(inviteRefusal(token.value, entry({ usedAt: now }), 'ada@example.test', now))).toBe('token_used');
    expect(codeOf(inviteRefusal(token.value, entry(), 'ada@example.test', token.expiresAt))).toBe('token_expired');
  });
});
