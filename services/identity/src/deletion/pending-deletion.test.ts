import { isDue, newPendingDeletion, profileDeletionView } from './pending-deletion';

const now = new Date('2026-03-01T10:00:00.000Z');
const DAY = 86_400_000;

describe('pending deletion', () => {
  it('ends the grace period exactly one grace after the request', () => {
    const deletion = newPendingDeletion(now, 30 * DAY, 'requested');
    expect(deletion.purgeAt.toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(deletion.purgeStartedAt).toBeNull();
  });

  it('is due at purgeAt and not a millisecond before', () => {
    const deletion = newPendingDeletion(now, 10_000, 'requested');
    expect(isDue(deletion, new Date(now.getTime() + 9_999))).toBe(false);
    expect(isDue(deletion, new Date(now.getTime() + 10_000))).toBe(true);
  });

  it('shows the owner the dates and the reason, and nothing for an unverified-account removal', () => {
    expect(profileDeletionView(newPendingDeletion(now, DAY, 'inactivity'))).toEqual({
      requestedAt: '2026-03-01T10:00:00.000Z',
      purgeAt: '2026-03-02T10:00:00.000Z',
      reason: 'inactivity',
    });
    expect(profileDeletionView(newPendingDeletion(now, 0, 'unverified'))).toBeNull();
    expect(profileDeletionView(null)).toBeNull();
  });
});
