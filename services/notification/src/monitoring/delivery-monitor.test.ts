import { createLogger } from '@solar/chassis';
import { DeliveryMonitor, type AlertSink, type DeliveryAlert, type MonitoredOutcome } from './delivery-monitor';

const MINUTE = 60_000;
const logger = createLogger({ service: 'test', level: 'silent' });

function setup(policy: { minAttempts?: number; successThreshold?: number; windowMs?: number } = {}) {
  let now = new Date('2026-03-01T10:00:00Z');
  const raised: { kind: 'degraded' | 'recovered'; alert: DeliveryAlert }[] = [];
  const alerts: AlertSink = {
    raise: async (kind, alert) => {
      raised.push({ kind, alert });
    },
  };
  const monitor = new DeliveryMonitor({
    windowMs: policy.windowMs ?? 15 * MINUTE,
    minAttempts: policy.minAttempts ?? 20,
    successThreshold: policy.successThreshold ?? 0.95,
    providers: ['smtp'],
    alerts,
    clock: () => now,
    logger,
  });
  const record = (outcome: MonitoredOutcome, times = 1, template = 'verify-email') => {
    for (let i = 0; i < times; i++) monitor.record({ provider: 'smtp', template, outcome });
  };
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { monitor, raised, record, advance };
}

describe('DeliveryMonitor', () => {
  it('counts by provider, template and outcome', () => {
    const { monitor, record } = setup();
    record('sent', 3);
    record('retried', 2, 'password-reset');
    record('failed', 1, 'password-reset');
    record('suppressed');
    record('rendering_failed');

    expect(monitor.counts()).toEqual(
      expect.arrayContaining([
        { provider: 'smtp', template: 'verify-email', outcome: 'sent', count: 3 },
        { provider: 'smtp', template: 'password-reset', outcome: 'retried', count: 2 },
        { provider: 'smtp', template: 'password-reset', outcome: 'failed', count: 1 },
        { provider: 'smtp', template: 'verify-email', outcome: 'suppressed', count: 1 },
        { provider: 'smtp', template: 'verify-email', outcome: 'rendering_failed', count: 1 },
      ]),
    );
    expect(monitor.counts()).toHaveLength(5);
  });

  it('measures the provider on its own calls only: suppressed and unrenderable emails do not count', () => {
    const { monitor, record } = setup();
    record('sent', 2);
    record('retried');
    record('failed');
    record('suppressed', 5);
    record('rendering_failed', 5);

    expect(monitor.status('smtp')).toMatchObject({ attempted: 4, failed: 2, successRate: 0.5, degraded: false });
  });

  it('reports a provider before its first email', () => {
    expect(setup().monitor.statuses()).toEqual([
      expect.objectContaining({ provider: 'smtp', attempted: 0, successRate: null, degraded: false }),
    ]);
  });

  it('raises Degraded once per episode, with the window figures, and Recovered once when it clears', async () => {
    const { monitor, raised, record, advance } = setup();
    record('sent', 18);
    record('failed', 1);
    expect(raised).toEqual([]);

    record('failed', 1); // 18 of 20: 90%
    record('failed', 10);
    await monitor.settled();
    expect(raised).toEqual([
      {
        kind: 'degraded',
        alert: {
          provider: 'smtp',
          windowStart: '2026-03-01T09:46:00.000Z',
          windowEnd: '2026-03-01T10:00:00.000Z',
          attempted: 20,
          failed: 2,
          failureRate: 0.1,
          threshold: 0.05,
        },
      },
    ]);
    expect(monitor.status('smtp').degraded).toBe(true);

    // The failures have slid out: the first success after them ends the episode.
    advance(15 * MINUTE);
    record('sent', 20);
    await monitor.settled();
    expect(raised.map((r) => r.kind)).toEqual(['degraded', 'recovered']);
    expect(raised[1]!.alert).toMatchObject({ attempted: 1, failed: 0, failureRate: 0, threshold: 0.05 });
    expect(monitor.status('smtp').degraded).toBe(false);
  });

  it('recovers without traffic once the failures slide out, on the periodic evaluation', async () => {
    const { monitor, raised, record, advance } = setup({ minAttempts: 2 });
    record('failed', 2);
    advance(15 * MINUTE);
    monitor.evaluateAll();
    await monitor.settled();

    expect(raised.map((r) => r.kind)).toEqual(['degraded', 'recovered']);
  });

  it('does not flap around the threshold', async () => {
    const { monitor, raised, record } = setup();
    record('failed', 2);
    record('sent', 18); // 90%: degraded
    record('sent', 20); // 95%: at the threshold, not yet recovered
    record('sent', 40); // 97.5%: recovered
    record('failed', 1);
    await monitor.settled();

    expect(raised.map((r) => r.kind)).toEqual(['degraded', 'recovered']);
  });

  it('keeps recording when an alert channel fails', async () => {
    const { monitor, record } = setup({ minAttempts: 1 });
    const failing = new DeliveryMonitor({
      windowMs: MINUTE,
      minAttempts: 1,
      successThreshold: 0.95,
      providers: ['smtp'],
      alerts: { raise: () => Promise.reject(new Error('webhook down')) },
      clock: () => new Date(),
      logger,
    });

    expect(() => failing.record({ provider: 'smtp', template: 'verify-email', outcome: 'failed' })).not.toThrow();
    await failing.settled();
    record('failed');
    expect(monitor.status('smtp').degraded).toBe(true);
    expect(failing.counts()).toEqual([{ provider: 'smtp', template: 'verify-email', outcome: 'failed', count: 1 }]);
  });
});
