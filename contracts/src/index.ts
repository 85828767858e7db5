export { Topics, privateTopics, compactedTopics, isPublicTopic, type Topic } from './topics';
export {
  registry,
  eventTypes,
  eventNameOf,
  type EventDefinition,
  type Registry,
  type EventType,
  type CloudEventType,
  type EventData,
  type EventInput,
} from './registry';
export {
  createEvent,
  isEvent,
  topicOf,
  toKafkaMessage,
  fromKafkaMessage,
  CloudEventHeaders,
  type CloudEvent,
  type AnyCloudEvent,
  type CreateEventOptions,
  type KafkaMessage,
  type KafkaHeaderValue,
  type IncomingKafkaMessage,
} from './cloudevents';
export { ContractViolation, type ContractViolationCode, type ContractIssue } from './contract-violation';
export { SCHEMA_BASE_URI, schemaPath, schemaUri, renderJsonSchema, renderJsonSchemas } from './json-schema';
export { renderAsyncApi, ASYNCAPI_DOCUMENT_VERSION } from './asyncapi';
export { EmailAddress, UserId, Timestamp, DeletionReason, SUPPORTED_LOCALES, Locale, DEFAULT_LOCALE } from './fields';
export { EmailTemplate, EmailProvider } from './notification/email-template';
export { MaintenanceTasks } from './lifecycle/maintenance-due.v1';
export { UserRegisteredV1 } from './identity/user-registered.v1';
export { EmailChangedV1 } from './identity/email-changed.v1';
export { EmailVerifiedV1 } from './identity/email-verified.v1';
export { PasswordChangedV1 } from './identity/password-changed.v1';
export { TwoFactorEnabledV1 } from './identity/two-factor-enabled.v1';
export { TwoFactorDisabledV1 } from './identity/two-factor-disabled.v1';
export { PasskeyAddedV1 } from './identity/passkey-added.v1';
export { PasskeyRemovedV1 } from './identity/passkey-removed.v1';
export { DeletionRequestedV1 } from './identity/deletion-requested.v1';
export { DeletionCancelledV1 } from './identity/deletion-cancelled.v1';
export { DataExportRequestedV1, DataExportId } from './identity/data-export-requested.v1';
export { DataExportPartReadyV1, ParticipantName, DATA_EXPORT_CHUNK_CHARS } from './identity/data-export-part-ready.v1';
export { DataExportCompletedV1 } from './identity/data-export-completed.v1';
export { DataExportFailedV1 } from './identity/data-export-failed.v1';
export * from './data-export/archive';
export { dataExportPartEvents } from './data-export/parts';
export { UserDeletedV1 } from './identity/user-deleted.v1';
export { LoginSucceededV1 } from './identity/login-succeeded.v1';
export { LoginFailedV1, LoginFailureReason } from './identity/login-failed.v1';
export { AccountLockedV1 } from './identity/account-locked.v1';
export { RefreshTokenReusedV1 } from './identity/refresh-token-reused.v1';
export { PasswordResetRequestedV1 } from './identity/password-reset-requested.v1';
export { WaitlistJoinedV1 } from './identity/waitlist-joined.v1';
export { WaitlistApprovedV1 } from './identity/waitlist-approved.v1';
export { WaitlistRejectedV1 } from './identity/waitlist-rejected.v1';
export { SessionRevokedV1, SessionRevocationReason } from './identity/session-revoked.v1';
export { RolesChangedV1 } from './identity/roles-changed.v1';
export { AccountDisabledV1 } from './identity/account-disabled.v1';
export { AccountEnabledV1 } from './identity/account-enabled.v1';
export { ProfileUpdatedV1 } from './identity/profile-updated.v1';
export { RecoveryCodesRegeneratedV1 } from './identity/recovery-codes-regenerated.v1';
export { UserStateV1 } from './identity/user-state.v1';
export { TwoFactorResetScheduledV1 } from './identity/two-factor-reset-scheduled.v1';
export { TwoFactorResetCancelledV1 } from './identity/two-factor-reset-cancelled.v1';
export { EmailRequestedV1, SEALED_EMAIL_VARIABLES, sealedEmailVariableContext } from './notification/email-requested.v1';
export { EmailSentV1 } from './notification/email-sent.v1';
export { EmailFailedV1, EmailFailureReason } from './notification/email-failed.v1';
export { EmailDeliveryDegradedV1 } from './notification/email-delivery-degraded.v1';
export { EmailDeliveryRecoveredV1 } from './notification/email-delivery-recovered.v1';
export { EmailSuppressionRemovedV1 } from './notification/email-suppression-removed.v1';
export { DeletionGracePeriodExpiredV1 } from './lifecycle/deletion-grace-period-expired.v1';
export { MaintenanceDueV1 } from './lifecycle/maintenance-due.v1';
export { MonthlyQuotaResetDueV1, monthOf, previousMonth } from './lifecycle/monthly-quota-reset-due.v1';
export { DailyReportGeneratedV1, DailyReportCounts } from './lifecycle/daily-report-generated.v1';
export * from './http';
