import type { WindowFigures } from './success-window';

export interface AlertPolicy {
  /** Fewer attempts than this in the window is too little evidence to call a provider degraded. */
  minAttempts: number;
  /** Degraded below this success rate (0..1). */
  successThreshold: number;
}

export type DegradationState = 'healthy' | 'degraded';
export type Transition = 'degraded' | 'recovered' | null;

/**
 * The success rate an episode must climb back to before it counts as over: halfway from the
 * threshold to 100% (97.5% for the default 95%). Without this gap a rate hovering around the
 * threshold would send a Degraded/Recovered pair for every few emails.
 */
export function recoveryThreshold(policy: AlertPolicy): number {
  return policy.successThreshold + (1 - policy.successThreshold) / 2;
}

/**
 * One step of the per-provider state machine, so Degraded fires once when an episode starts and
 * Recovered once when it ends. An episode ends when the window shows a recovered rate on enough
 * attempts, or when it holds no failed attempt at all any more: once the failures have slid out
 * the alert is no longer backed by anything, and low-traffic hours must not keep it open forever.
 */
export function nextDegradationState(
  current: DegradationState,
  figures: WindowFigures,
  policy: AlertPolicy,
): { state: DegradationState; transition: Transition } {
  const enough = figures.attempted >= policy.minAttempts;
  const rate = figures.successRate;
  if (current === 'healthy') {
    if (enough && rate !== null && rate < policy.successThreshold) return { state: 'degraded', transition: 'degraded' };
    return { state: 'healthy', transition: null };
  }
  const recovered = figures.failed === 0 || (enough && rate !== null && rate >= recoveryThreshold(policy));
  return recovered ? { state: 'healthy', transition: 'recovered' } : { state: 'degraded', transition: null };
}
