import { monthEnd, monthOf, previousMonth, quotaFor } from './usage-month';

describe('usage months (UTC)', () => {
  it('names the UTC month of an instant, whatever the local time zone says', () => {
    expect(monthOf(new Date('2026-01-31T23:59:59.999Z'))).toBe('2026-01');
    expect(monthOf(new Date('2026-02-01T00:00:00.000Z'))).toBe('2026-02');
  });

  it('ends a month at the first instant of the next, across years and leap days', () => {
    expect(monthEnd(new Date('2026-12-15T10:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthEnd(new Date('2028-02-29T23:00:00Z')).toISOString()).toBe('2028-03-01T00:00:00.000Z');
  });

  it('steps back a month across a year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-03')).toBe('2026-02');
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
