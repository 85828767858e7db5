import { MonthlyQuotaResetDueV1, monthOf, previousMonth } from './monthly-quota-reset-due.v1';

describe('monthOf', () => {
  it('names the month that starts at 00:00 UTC on the 1st', () => {
    expect(monthOf(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
    expect(monthOf(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01');
  });

  it('uses UTC, not the local zone, around midnight', () => {
    expect(monthOf(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(monthOf(new Date('2026-12-01T00:00:00.001-05:00'))).toBe('2026-12');
  });

  it('writes what the event schema accepts', () => {
    expect(MonthlyQuotaResetDueV1.parse({ month: monthOf(new Date('2026-02-01T00:00:00Z')) })).toEqual({ month: '2026-02' });
  });
});

describe('previousMonth', () => {
  it('steps back a month across a year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-03')).toBe('2026-02');
  });
});
