import type { MfaRequiredResponse } from '@solar/contracts';
import type { Metrics } from '@solar/chassis';

/** Sign-ins and sign-ups by outcome: a success label, or the error code a refusal carries (invalid_credentials, account_locked...). */
export function identityMetrics(metrics: Metrics) {
  return {
    logins: metrics.counter({
      name: 'solar_identity_logins_total',
      help: 'Password sign-ins by outcome: success, mfa_required, or the refusal code (invalid_credentials, account_locked, ...)',
      labelNames: ['outcome'],
    }),
    secondFactor: metrics.counter({
      name: 'solar_identity_second_factor_logins_total',
      help: 'Second sign-in steps by outcome: success, or the refusal code (wrong_code, token_expired, account_locked, ...)',
      labelNames: ['outcome'],
    }),
    breachLookups: metrics.counter({
      name: 'solar_identity_pwned_password_lookups_total',
      help: 'Pwned Passwords lookups by outcome: breached, clean, or why none came (timeout, unreachable, bad_answer)',
      labelNames: ['outcome'],
    }),
    registrations: metrics.counter({
      name: 'solar_identity_registrations_total',
      help: 'Registrations by outcome: accepted (a new account, or a warning to the owner of a known address), or the refusal code',
      labelNames: ['outcome'],
    }),
  };
}

export const loginOutcome = (result: object): string =>
  (result as Partial<MfaRequiredResponse>).mfa_required ? 'mfa_required' : 'success';
