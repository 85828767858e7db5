import { utcMonth } from './month';

describe('utcMonth', () => {
  it('names the month that starts at 00:00 UTC on the 1st', () => {
    expect(utcMonth(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
    expect(utcMonth(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01');
  });

  it('uses UTC, not the local zone, around midnight', () => {
    expect(utcMonth(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(utcMonth(new Date('2026-12-01T00:00:00.001-05:00'))).toBe('2026-12');
  });
});
