import { createLogger } from '@solar/chassis';
import { BounceRateMonitor, evaluateBounceRate, type BounceRateFigures } from './bounce-rate-monitor';
import type { BounceCount } from './suppression.repository';

const settings = { threshold: 0.05, windowMs: 3_600_000, minSent: 100 };
const now = new Date('2026-03-02T10:00:00Z');
const counts = (hard: number, complaint = 0, soft = 0): BounceCount[] => [
  { provider: 'ses', kind: 'hard_bounce', count: hard },
  { provider: 'sendgrid', kind: 'complaint', count: complaint },
  { provider: 'ses', kind: 'soft_bounce', count: soft },
];

describe('bounce rate', () => {
  it('counts hard bounces and complaints, not soft bounces', () => {
    expect(evaluateBounceRate(counts(4, 2, 50), 100, settings, now)).toMatchObject({
      high: true,
      figures: { bounced: 6, bounceRate: 0.06 },
    });
    expect(evaluateBounceRate(counts(5, 0, 50), 100, settings, now).high).toBe(false);
  });

  it('stays quiet below the minimum volume', () => {
    expect(evaluateBounceRate(counts(50), 99, settings, now).high).toBe(false);
    expect(evaluateBounceRate(counts(0), 0, settings, now).figures.bounceRate).toBe(0);
  });

  it('alerts once when the rate goes over, and once when it recovers', async () => {
    let stats = counts(10);
    const alerts: [string, BounceRateFigures][] = [];
    const monitor = new BounceRateMonitor({
      bounceStats: async () => stats,
      sentSince: async () => 100,
      settings,
      intervalMs: 60_000,
      clock: () => now,
      logger: createLogger({ service: 'test', level: 'silent' }),
      alert: async (kind, figures) => void alerts.push([kind, figures]),
    });
    await monitor.check();
    await monitor.check();
    stats = counts(1);
    await monitor.check();
    expect(alerts.map(([kind]) => kind)).toEqual(['high', 'recovered']);
    expect(alerts[0]?.[1]).toMatchObject({ sent: 100, bounced: 10, threshold: 0.05 });
  });
});
