import { nextDegradationState, recoveryThreshold, type AlertPolicy } from './degradation-state';
import type { WindowFigures } from './success-window';

const policy: AlertPolicy = { minAttempts: 20, successThreshold: 0.95 };

function figures(attempted: number, failed: number): WindowFigures {
  return {
    windowStart: new Date(0),
    windowEnd: new Date(1),
    attempted,
    failed,
    successRate: attempted === 0 ? null : (attempted - failed) / attempted,
  };
}

describe('nextDegradationState', () => {
  it('turns degraded below the threshold once there are enough attempts', () => {
    expect(nextDegradationState('healthy', figures(20, 2), policy)).toEqual({ state: 'degraded', transition: 'degraded' });
  });

  it('stays healthy at the threshold exactly', () => {
    expect(nextDegradationState('healthy', figures(20, 1), policy)).toEqual({ state: 'healthy', transition: null });
  });

  it('does not call a provider degraded on too few attempts, however bad', () => {
    expect(nextDegradationState('healthy', figures(19, 19), policy)).toEqual({ state: 'healthy', transition: null });
  });

  it('announces an episode once: a degraded provider that stays bad has no new transition', () => {
    expect(nextDegradationState('degraded', figures(40, 30), policy)).toEqual({ state: 'degraded', transition: null });
  });

  it('needs the recovery threshold, not just the alert threshold, to clear (hysteresis)', () => {
    expect(recoveryThreshold(policy)).toBeCloseTo(0.975);
    expect(nextDegradationState('degraded', figures(40, 2), policy)).toEqual({ state: 'degraded', transition: null });
    expect(nextDegradationState('degraded', figures(40, 1), policy)).toEqual({ state: 'healthy', transition: 'recovered' });
  });

  it('clears once no failed attempt is left in the window, even with little traffic', () => {
    expect(nextDegradationState('degraded', figures(3, 0), policy)).toEqual({ state: 'healthy', transition: 'recovered' });
    expect(nextDegradationState('degraded', figures(0, 0), policy)).toEqual({ state: 'healthy', transition: 'recovered' });
  });

  it('keeps a low-traffic episode open while failures remain in the window', () => {
    expect(nextDegradationState('degraded', figures(5, 1), policy)).toEqual({ state: 'degraded', transition: null });
  });
});
