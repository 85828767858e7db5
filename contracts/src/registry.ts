import type { z } from 'zod';
import { AccountDisabledV1 } from './identity/account-disabled.v1';
import { AccountEnabledV1 } from './identity/account-enabled.v1';
import { AccountLockedV1 } from './identity/account-locked.v1';
import { DeletionCancelledV1 } from './identity/deletion-cancelled.v1';
import { DataExportCompletedV1 } from './identity/data-export-completed.v1';
import { DataExportFailedV1 } from './identity/data-export-failed.v1';
import { DataExportPartReadyV1 } from './identity/data-export-part-ready.v1';
import { DataExportRequestedV1 } from './identity/data-export-requested.v1';
import { DeletionRequestedV1 } from './identity/deletion-requested.v1';
import { EmailChangedV1 } from './identity/email-changed.v1';
import { EmailVerifiedV1 } from './identity/email-verified.v1';
import { LoginFailedV1 } from './identity/login-failed.v1';
import { LoginSucceededV1 } from './identity/login-succeeded.v1';
import { PasskeyAddedV1 } from './identity/passkey-added.v1';
import { PasskeyRemovedV1 } from './identity/passkey-removed.v1';
import { PasswordChangedV1 } from './identity/password-changed.v1';
import { PasswordResetRequestedV1 } from './identity/password-reset-requested.v1';
import { ProfileUpdatedV1 } from './identity/profile-updated.v1';
import { RecoveryCodesRegeneratedV1 } from './identity/recovery-codes-regenerated.v1';
import { RefreshTokenReusedV1 } from './identity/refresh-token-reused.v1';
import { RolesChangedV1 } from './identity/roles-changed.v1';
import { SessionRevokedV1 } from './identity/session-revoked.v1';
import { TwoFactorDisabledV1 } from './identity/two-factor-disabled.v1';
import { TwoFactorEnabledV1 } from './identity/two-factor-enabled.v1';
import { TwoFactorResetCancelledV1 } from './identity/two-factor-reset-cancelled.v1';
import { TwoFactorResetScheduledV1 } from './identity/two-factor-reset-scheduled.v1';
import { UserDeletedV1 } from './identity/user-deleted.v1';
import { UserRegisteredV1 } from './identity/user-registered.v1';
import { UserStateV1 } from './identity/user-state.v1';
import { WaitlistApprovedV1 } from './identity/waitlist-approved.v1';
import { WaitlistJoinedV1 } from './identity/waitlist-joined.v1';
import { WaitlistRejectedV1 } from './identity/waitlist-rejected.v1';
import { DailyReportGeneratedV1 } from './lifecycle/daily-report-generated.v1';
import { DeletionGracePeriodExpiredV1 } from './lifecycle/deletion-grace-period-expired.v1';
import { MaintenanceDueV1 } from './lifecycle/maintenance-due.v1';
import { MonthlyQuotaResetDueV1 } from './lifecycle/monthly-quota-reset-due.v1';
import { EmailDeliveryDegradedV1 } from './notification/email-delivery-degraded.v1';
import { EmailDeliveryRecoveredV1 } from './notification/email-delivery-recovered.v1';
import { EmailSuppressionRemovedV1 } from './notification/email-suppression-removed.v1';
import { EmailFailedV1 } from './notification/email-failed.v1';
import { EmailRequestedV1 } from './notification/email-requested.v1';
import { EmailSentV1 } from './notification/email-sent.v1';
import { Topics, type Topic } from './topics';

/**
 * What a consumer may rely on for one event type. Data schemas are plain (non-strict) z.object,
 * which strips unknown fields instead of rejecting them: a producer may add optional fields to a
 * v1 event without breaking older consumers. Anything else (removing or renaming a field, adding
 * a required one or an enum value) is a new `.v2` type with its own entry.
 */
export interface EventDefinition {
  /** CloudEvents `type`: com.solar-intelligence.<service>.<EventName>.v<N>. */
  readonly type: string;
  readonly topic: Topic;
  readonly schema: z.ZodObject;
  readonly description: string;
}

export const registry = {
  UserRegistered: {
    type: 'com.solar-intelligence.identity.UserRegistered.v1',
    topic: Topics.identityUser,
    schema: UserRegisteredV1,
    description: 'A user registered; the email address is not verified yet.',
  },
  EmailVerified: {
    type: 'com.solar-intelligence.identity.EmailVerified.v1',
    topic: Topics.identityUser,
    schema: EmailVerifiedV1,
    description: 'A user proved control of their email address.',
  },
  EmailChanged: {
    type: 'com.solar-intelligence.identity.EmailChanged.v1',
    topic: Topics.identityUser,
    schema: EmailChangedV1,
    description: "An account's email address changed: confirmed from the new address, or restored by the undo link sent to the old one.",
  },
  PasswordChanged: {
    type: 'com.solar-intelligence.identity.PasswordChanged.v1',
    topic: Topics.identityUser,
    schema: PasswordChangedV1,
    description: 'A user changed their password, or set a new one through a reset link.',
  },
  TwoFactorEnabled: {
    type: 'com.solar-intelligence.identity.TwoFactorEnabled.v1',
    topic: Topics.identityUser,
    schema: TwoFactorEnabledV1,
    description: 'A user turned on two-factor authentication.',
  },
  TwoFactorDisabled: {
    type: 'com.solar-intelligence.identity.TwoFactorDisabled.v1',
    topic: Topics.identityUser,
    schema: TwoFactorDisabledV1,
    description: 'A user turned off two-factor authentication.',
  },
  PasskeyAdded: {
    type: 'com.solar-intelligence.identity.PasskeyAdded.v1',
    topic: Topics.identityUser,
    schema: PasskeyAddedV1,
    description: 'A user added a passkey (WebAuthn credential) to their account.',
  },
  PasskeyRemoved: {
    type: 'com.solar-intelligence.identity.PasskeyRemoved.v1',
    topic: Topics.identityUser,
    schema: PasskeyRemovedV1,
    description: 'A user removed a passkey from their account; it no longer signs in.',
  },
  DeletionRequested: {
    type: 'com.solar-intelligence.identity.DeletionRequested.v1',
    topic: Topics.identityUser,
    schema: DeletionRequestedV1,
    description: 'A user asked for their account to be deleted; it is purged at purgeAt unless cancelled.',
  },
  DeletionCancelled: {
    type: 'com.solar-intelligence.identity.DeletionCancelled.v1',
    topic: Topics.identityUser,
    schema: DeletionCancelledV1,
    description: 'A user cancelled a pending deletion during the grace period.',
  },
  UserDeleted: {
    type: 'com.solar-intelligence.identity.UserDeleted.v1',
    topic: Topics.identityUser,
    schema: UserDeletedV1,
    description:
      'A user was purged (after a deletion request, or as an unverified account past its time); every consumer erases what it holds about them.',
  },
  DataExportRequested: {
    type: 'com.solar-intelligence.identity.DataExportRequested.v1',
    topic: Topics.identityUser,
    schema: DataExportRequestedV1,
    description:
      'A user (or an admin for them) asked for a copy of their data; every participant sends its part as DataExportPartReady before the deadline.',
  },
  DataExportCompleted: {
    type: 'com.solar-intelligence.identity.DataExportCompleted.v1',
    topic: Topics.identityUser,
    schema: DataExportCompletedV1,
    description: 'Every part of a data export arrived; the sealed archive is stored and its owner emailed a single-use link.',
  },
  DataExportFailed: {
    type: 'com.solar-intelligence.identity.DataExportFailed.v1',
    topic: Topics.identityUser,
    schema: DataExportFailedV1,
    description: 'A data export passed its deadline without every part; missing names the participants that did not answer.',
  },
  DataExportPartReady: {
    type: 'com.solar-intelligence.identity.DataExportPartReady.v1',
    topic: Topics.identityDataExportParts,
    schema: DataExportPartReadyV1,
    description:
      "A participant's data about one user for a data export, in pieces under Kafka's message limit. Private: read by identity alone.",
  },
  RolesChanged: {
    type: 'com.solar-intelligence.identity.RolesChanged.v1',
    topic: Topics.identityUser,
    schema: RolesChangedV1,
    description: "An admin granted or revoked a role; roles lists the account's roles afterwards.",
  },
  AccountDisabled: {
    type: 'com.solar-intelligence.identity.AccountDisabled.v1',
    topic: Topics.identityUser,
    schema: AccountDisabledV1,
    description: 'An admin disabled an account: its sign-ins are refused and every session of it has ended (SessionRevoked).',
  },
  AccountEnabled: {
    type: 'com.solar-intelligence.identity.AccountEnabled.v1',
    topic: Topics.identityUser,
    schema: AccountEnabledV1,
    description: 'An admin enabled a disabled account again: it can sign in.',
  },
  ProfileUpdated: {
    type: 'com.solar-intelligence.identity.ProfileUpdated.v1',
    topic: Topics.identityUser,
    schema: ProfileUpdatedV1,
    description: 'A user changed their display name or language.',
  },
  UserState: {
    type: 'com.solar-intelligence.identity.UserState.v1',
    topic: Topics.identityUserState,
    schema: UserStateV1,
    description:
      'The public projection of an account after its latest change; a null value (tombstone) under the same key follows UserDeleted.',
  },
  LoginSucceeded: {
    type: 'com.solar-intelligence.identity.LoginSucceeded.v1',
    topic: Topics.identitySecurity,
    schema: LoginSucceededV1,
    description: 'A user signed in and a session was opened.',
  },
  LoginFailed: {
    type: 'com.solar-intelligence.identity.LoginFailed.v1',
    topic: Topics.identitySecurity,
    schema: LoginFailedV1,
    description: 'A sign-in attempt failed.',
  },
  AccountLocked: {
    type: 'com.solar-intelligence.identity.AccountLocked.v1',
    topic: Topics.identitySecurity,
    schema: AccountLockedV1,
    description: 'Too many failed sign-ins locked an account until lockedUntil.',
  },
  RefreshTokenReused: {
    type: 'com.solar-intelligence.identity.RefreshTokenReused.v1',
    topic: Topics.identitySecurity,
    schema: RefreshTokenReusedV1,
    description: 'An already-rotated refresh token was presented (likely theft); its session was revoked.',
  },
  SessionRevoked: {
    type: 'com.solar-intelligence.identity.SessionRevoked.v1',
    topic: Topics.identitySecurity,
    schema: SessionRevokedV1,
    description: 'A session ended before its time; reason says why (signing out everywhere publishes one per session).',
  },
  RecoveryCodesRegenerated: {
    type: 'com.solar-intelligence.identity.RecoveryCodesRegenerated.v1',
    topic: Topics.identitySecurity,
    schema: RecoveryCodesRegeneratedV1,
    description: 'A user replaced their two-factor recovery codes; the old ones no longer work.',
  },
  TwoFactorResetScheduled: {
    type: 'com.solar-intelligence.identity.TwoFactorResetScheduled.v1',
    topic: Topics.identitySecurity,
    schema: TwoFactorResetScheduledV1,
    description: 'An emailed link confirmed a two-factor reset: two-factor turns off at the first password sign-in after effectiveAt.',
  },
  TwoFactorResetCancelled: {
    type: 'com.solar-intelligence.identity.TwoFactorResetCancelled.v1',
    topic: Topics.identitySecurity,
    schema: TwoFactorResetCancelledV1,
    description: 'A session of the account cancelled a pending two-factor reset.',
  },
  PasswordResetRequested: {
    type: 'com.solar-intelligence.identity.PasswordResetRequested.v1',
    topic: Topics.identitySecurity,
    schema: PasswordResetRequestedV1,
    description: 'Someone asked for a password reset link for an address.',
  },
  WaitlistJoined: {
    type: 'com.solar-intelligence.identity.WaitlistJoined.v1',
    topic: Topics.identityWaitlist,
    schema: WaitlistJoinedV1,
    description: 'An address joined the waitlist.',
  },
  WaitlistApproved: {
    type: 'com.solar-intelligence.identity.WaitlistApproved.v1',
    topic: Topics.identityWaitlist,
    schema: WaitlistApprovedV1,
    description: 'An admin approved a waitlist entry; an invite was issued.',
  },
  WaitlistRejected: {
    type: 'com.solar-intelligence.identity.WaitlistRejected.v1',
    topic: Topics.identityWaitlist,
    schema: WaitlistRejectedV1,
    description: 'An admin rejected a waitlist entry; no invite is sent.',
  },
  EmailRequested: {
    type: 'com.solar-intelligence.notification.EmailRequested.v1',
    topic: Topics.notificationEmailRequests,
    schema: EmailRequestedV1,
    description:
      "A service asks notification to send a templated email, in the recipient's locale. Private; its links are sealed for notification alone.",
  },
  EmailSent: {
    type: 'com.solar-intelligence.notification.EmailSent.v1',
    topic: Topics.notificationDeliveries,
    schema: EmailSentV1,
    description: 'A provider accepted a requested email.',
  },
  EmailFailed: {
    type: 'com.solar-intelligence.notification.EmailFailed.v1',
    topic: Topics.notificationDeliveries,
    schema: EmailFailedV1,
    description: 'A requested email could not be delivered.',
  },
  EmailDeliveryDegraded: {
    type: 'com.solar-intelligence.notification.EmailDeliveryDegraded.v1',
    topic: Topics.notificationDeliveries,
    schema: EmailDeliveryDegradedV1,
    description: "An email provider's failure rate crossed the alert threshold.",
  },
  EmailDeliveryRecovered: {
    type: 'com.solar-intelligence.notification.EmailDeliveryRecovered.v1',
    topic: Topics.notificationDeliveries,
    schema: EmailDeliveryRecoveredV1,
    description: "An email provider's failure rate fell back below the alert threshold; closes an EmailDeliveryDegraded episode.",
  },
  EmailSuppressionRemoved: {
    type: 'com.solar-intelligence.notification.EmailSuppressionRemoved.v1',
    topic: Topics.notificationDeliveries,
    schema: EmailSuppressionRemovedV1,
    description:
      "An admin took an address off the suppression list: email to it is sent again. The admin's reason stays in notification's removal record.",
  },
  DeletionGracePeriodExpired: {
    type: 'com.solar-intelligence.lifecycle.DeletionGracePeriodExpired.v1',
    topic: Topics.lifecycle,
    schema: DeletionGracePeriodExpiredV1,
    description: "A deletion request's grace period ended; identity purges the user if it is still pending.",
  },
  MaintenanceDue: {
    type: 'com.solar-intelligence.lifecycle.MaintenanceDue.v1',
    topic: Topics.lifecycle,
    schema: MaintenanceDueV1,
    description: 'A scheduled maintenance task is due; the service that owns the task runs it.',
  },
  MonthlyQuotaResetDue: {
    type: 'com.solar-intelligence.lifecycle.MonthlyQuotaResetDue.v1',
    topic: Topics.lifecycle,
    schema: MonthlyQuotaResetDueV1,
    description: 'A new month started; monthly quotas reset.',
  },
  DailyReportGenerated: {
    type: 'com.solar-intelligence.lifecycle.DailyReportGenerated.v1',
    topic: Topics.lifecycle,
    schema: DailyReportGeneratedV1,
    description: "Lifecycle counted a UTC day's registrations, verifications, deletions and emails.",
  },
} as const satisfies Record<string, EventDefinition>;

export type Registry = typeof registry;
/** Short event names, e.g. 'UserRegistered'. */
export type EventType = keyof Registry;
/** The CloudEvents `type` of an event, e.g. 'com.solar-intelligence.identity.UserRegistered.v1'. */
export type CloudEventType<K extends EventType = EventType> = Registry[K]['type'];
/** Event data as consumers see it (after parsing: defaults applied, unknown fields removed). */
export type EventData<K extends EventType> = z.output<Registry[K]['schema']>;
/** Event data as producers may write it (before defaults). */
export type EventInput<K extends EventType> = z.input<Registry[K]['schema']>;

export const eventTypes: readonly EventType[] = Object.keys(registry) as EventType[];

const namesByCloudEventType = new Map<string, EventType>(eventTypes.map((name) => [registry[name].type, name]));

/** The short name registered for a CloudEvents `type`, or undefined for a type we do not know. */
export function eventNameOf(type: string): EventType | undefined {
  return namesByCloudEventType.get(type);
}
