import { isResetDue, pendingResetView, scheduleReset } from './pending-reset';

describe('pending two-factor reset', () => {
  const now = new Date('2026-03-02T10:15:00.000Z');

  it('takes effect the delay after it was confirmed', () => {
    expect(scheduleReset(now, 86_400_000)).toEqual({ confirmedAt: now, effectiveAt: new Date('2026-03-03T10:15:00.000Z') });
  });

  it('is due from its effectiveAt on, not a millisecond before', () => {
    const reset = scheduleReset(now, 1_000);
    expect(isResetDue(reset, new Date(now.getTime() + 999))).toBe(false);
    expect(isResetDue(reset, new Date(now.getTime() + 1_000))).toBe(true);
    expect(isResetDue(reset, new Date(now.getTime() + 60_000))).toBe(true);
  });

  it('is never due when none is pending', () => {
    expect(isResetDue(null, new Date(8.64e15))).toBe(false);
  });

  it('is shown to its owner as ISO times', () => {
    expect(pendingResetView(scheduleReset(now, 2_000))).toEqual({
      confirmedAt: '2026-03-02T10:15:00.000Z',
      effectiveAt: '2026-03-02T10:15:02.000Z',
    });
  });
});
