import type { AuditAction, EventType } from '@solar/contracts';

/** An audited action that deliberately publishes nothing; `why` says what makes that right. */
interface NotPublished {
  notPublished: string;
}

/**
 * What each audited action publishes. Every state change an integrator could mirror is an event;
 * the rest say why not. Typed over every AuditAction, so a new action without an entry does not
 * compile, and audit-publications.test.ts checks the events named are registered and public.
 * Every change to an account also republishes its state on identity.user-state.v1 (see user-state/).
 */
export const AUDIT_PUBLICATIONS = {
  register: ['UserRegistered'],
  login: ['LoginSucceeded', 'LoginFailed'],
  account_locked: ['AccountLocked'],
  logout: ['SessionRevoked'],
  logout_all: ['SessionRevoked'],
  token_refresh: {
    notPublished:
      'A refresh rotates the token inside a live session: nothing a consumer holds changes, and it happens every few minutes per client.',
  },
  refresh_token_reused: ['RefreshTokenReused', 'SessionRevoked'],
  verification_requested: { notPublished: 'Only a new link is issued (sent privately as EmailRequested); the account is unchanged.' },
  email_verified: ['EmailVerified'],
  password_reset_requested: ['PasswordResetRequested'],
  password_reset: ['PasswordChanged', 'SessionRevoked'],
  password_changed: ['PasswordChanged', 'SessionRevoked'],
  email_change_requested: {
    notPublished: 'Only a link is emailed (privately) to the new address; nothing changes until it is confirmed (EmailChanged).',
  },
  email_changed: ['EmailChanged'],
  email_change_undone: ['EmailChanged', 'SessionRevoked'],
  password_breach_detected: {
    notPublished:
      'Only a notice to the owner (EmailRequested) and a flag on their account page; the password itself is unchanged until they change it.',
  },
  session_revoked: ['SessionRevoked'],
  profile_updated: ['ProfileUpdated'],
  role_granted: ['RolesChanged'],
  role_revoked: ['RolesChanged'],
  two_factor_setup_started: {
    notPublished: 'A secret waits for its first code; two-factor is not on until TwoFactorEnabled, and abandoned setups are common.',
  },
  two_factor_enabled: ['TwoFactorEnabled'],
  two_factor_disabled: ['TwoFactorDisabled'],
  recovery_codes_regenerated: ['RecoveryCodesRegenerated'],
  two_factor_reset_requested: {
    notPublished: 'Only a link is emailed (privately); nothing changes until it is confirmed (TwoFactorResetScheduled).',
  },
  two_factor_reset_confirmed: ['TwoFactorResetScheduled'],
  two_factor_reset_cancelled: ['TwoFactorResetCancelled'],
  two_factor_reset_completed: ['TwoFactorDisabled'],
  mfa_challenge_issued: { notPublished: 'A short-lived step inside one sign-in; LoginSucceeded or LoginFailed reports the outcome.' },
  passkey_added: ['PasskeyAdded'],
  passkey_removed: ['PasskeyRemoved'],
  waitlist_joined: ['WaitlistJoined'],
  waitlist_approved: ['WaitlistApproved'],
  waitlist_rejected: ['WaitlistRejected'],
  deletion_requested: ['DeletionRequested'],
  deletion_cancelled: ['DeletionCancelled'],
  account_deleted: ['UserDeleted'],
  inactivity_warning: {
    notPublished:
      "Only a notice to the owner (EmailRequested); the account's public state is unchanged, and DeletionRequested follows if it goes unanswered.",
  },
  account_disabled: ['AccountDisabled', 'SessionRevoked'],
  account_enabled: ['AccountEnabled'],
  account_unlocked: {
    notPublished:
      "Only the sign-in throttle's counts are cleared: AccountLocked's lockedUntil was advisory, and nothing a consumer mirrors changes.",
  },
  two_factor_reset_by_admin: ['TwoFactorDisabled'],
  sessions_ended_by_admin: ['SessionRevoked'],
  deletion_by_admin: ['DeletionRequested', 'UserDeleted'],
  data_export_requested: ['DataExportRequested'],
  data_export_downloaded: {
    notPublished: 'The owner took their archive; DataExportCompleted already announced it, and nothing else changes.',
  },
  email_suppression_removed: {
    notPublished: "Recorded from notification's EmailSuppressionRemoved, which already announced it; the account is unchanged.",
  },
} as const satisfies Record<AuditAction, readonly EventType[] | NotPublished>;
