import { daysBefore, previousUtcDay, utcDay } from './utc-day';

describe('UTC days', () => {
  it('reads the UTC calendar day', () => {
    expect(utcDay(new Date('2026-03-01T23:30:00.000-02:00'))).toBe('2026-03-02');
  });

  it('reports on the day before, across month and year ends', () => {
    expect(previousUtcDay(new Date('2026-03-01T00:10:00.000Z'))).toBe('2026-02-28');
    expect(previousUtcDay(new Date('2024-03-01T00:10:00.000Z'))).toBe('2024-02-29');
    expect(previousUtcDay(new Date('2027-01-01T00:00:00.000Z'))).toBe('2026-12-31');
  });

  it('counts days back', () => {
    expect(daysBefore('2026-01-03', 7)).toBe('2025-12-27');
  });
});
