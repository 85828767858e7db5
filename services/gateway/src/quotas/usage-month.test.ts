import { monthEnd, quotaFor } from './usage-month';

describe('usage months (UTC)', () => {
  it('ends a month at the first instant of the next, across years and leap days', () => {
    expect(monthEnd(new Date('2026-12-15T10:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthEnd(new Date('2028-02-29T23:00:00Z')).toISOString()).toBe('2028-03-01T00:00:00.000Z');
  });
});

describe('quotaFor', () => {
  const quotas = { user: 1_000, admin: 0, partner: 50_000 };

  it("gives the most generous of the caller's roles, unlimited when any is", () => {
    expect(quotaFor(['user'], quotas)).toBe(1_000);
    expect(quotaFor(['user', 'partner'], quotas)).toBe(50_000);
    expect(quotaFor(['user', 'admin'], quotas)).toBeNull();
  });

  it('counts a caller with no known role as a user', () => {
    expect(quotaFor([], quotas)).toBe(1_000);
    expect(quotaFor(['auditor'], quotas)).toBe(1_000);
  });
});
