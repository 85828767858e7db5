import { registry, type EventInput, type EventType } from '../src/registry';

export interface Sample<K extends EventType> {
  subject: string;
  data: EventInput<K>;
}

const userId = '6650f1c2a1b2c3d4e5f60718';
const deletionRequestId = '6650f1c2a1b2c3d4e5f60799';
const adminId = '6650f1c2a1b2c3d4e5f60700';
const exportId = '0b9c5b8e-3f1a-4c2e-9d7b-5a6e8f1c2d3b';
const ip = '203.0.113.7';
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';

/** One valid data sample per registered event; the type makes a missing event a compile error. */
export const samples: { [K in EventType]: Sample<K> } = {
  UserRegistered: {
    subject: userId,
    data: { userId, email: 'ada@example.com', roles: ['user'], registrationMode: 'open' },
  },
  EmailVerified: { subject: userId, data: { userId, email: 'ada@example.com' } },
  EmailChanged: { subject: userId, data: { userId, previousEmail: 'ada@example.com', email: 'ada@example.org', via: 'change' } },
  PasswordChanged: { subject: userId, data: { userId, via: 'reset', sessionsRevoked: true } },
  TwoFactorEnabled: { subject: userId, data: { userId, method: 'totp' } },
  TwoFactorDisabled: { subject: userId, data: { userId, method: 'totp' } },
  PasskeyAdded: {
    subject: userId,
    data: { userId, passkeyId: 'KEbWNCc7NgaYnUyrNeFGX9_3Y-8oJ3KwzjnaiD1d1LU', deviceType: 'multiDevice', backedUp: true },
  },
  PasskeyRemoved: { subject: userId, data: { userId, passkeyId: 'KEbWNCc7NgaYnUyrNeFGX9_3Y-8oJ3KwzjnaiD1d1LU' } },
  DeletionRequested: {
    subject: userId,
    data: { userId, email: 'ada@example.com', deletionRequestId, purgeAt: '2025-07-01T12:00:00.000Z' },
  },
  DeletionCancelled: { subject: userId, data: { userId, deletionRequestId } },
  UserDeleted: { subject: userId, data: { userId, email: 'ada@example.com', deletionRequestId } },
  DataExportRequested: {
    subject: userId,
    data: { exportId, userId, email: 'ada@example.com', deadline: '2026-01-01T01:00:00.000Z' },
  },
  DataExportPartReady: { subject: exportId, data: { exportId, service: 'notification', chunk: 0, chunks: 1, part: '{"emails":[]}' } },
  DataExportCompleted: { subject: userId, data: { exportId, userId, services: ['identity', 'notification', 'lifecycle'] } },
  DataExportFailed: { subject: userId, data: { exportId, userId, missing: ['lifecycle'] } },
  RolesChanged: { subject: userId, data: { userId, roles: ['user', 'admin'], granted: ['admin'], revoked: [] } },
  AccountDisabled: { subject: userId, data: { userId, disabledBy: adminId } },
  AccountEnabled: { subject: userId, data: { userId, enabledBy: adminId } },
  ProfileUpdated: { subject: userId, data: { userId, displayName: 'Ada', locale: 'de' } },
  UserState: {
    subject: userId,
    data: {
      id: userId,
      email: 'ada@example.com',
      emailVerified: true,
      roles: ['user'],
      displayName: null,
      locale: 'en',
      twoFactorEnabled: false,
      disabled: false,
      pendingDeletion: null,
      createdAt: '2025-06-01T12:00:00.000Z',
    },
  },
  SessionRevoked: { subject: userId, data: { userId, sessionId: deletionRequestId, reason: 'logout' } },
  TwoFactorResetScheduled: { subject: userId, data: { userId, effectiveAt: '2025-07-01T12:00:00.000Z' } },
  TwoFactorResetCancelled: { subject: userId, data: { userId } },
  RecoveryCodesRegenerated: { subject: userId, data: { userId, codes: 10 } },
  LoginSucceeded: {
    subject: userId,
    data: { userId, sessionId: 'sess-1', factors: ['password', 'totp'], ip: '::ffff:127.0.0.1', userAgent },
  },
  LoginFailed: {
    subject: 'ada@example.com',
    data: { email: 'ada@example.com', userId, reason: 'bad_password', consecutiveFailures: 2, ip, userAgent },
  },
  AccountLocked: {
    subject: userId,
    data: { userId, email: 'ada@example.com', lockedUntil: '2025-06-01T12:15:00.000Z', failedAttempts: 5, ip },
  },
  RefreshTokenReused: { subject: userId, data: { userId, sessionId: 'sess-1', ip, userAgent } },
  PasswordResetRequested: { subject: 'nobody@example.com', data: { email: 'nobody@example.com', ip } },
  WaitlistJoined: { subject: 'wl-1', data: { waitlistEntryId: 'wl-1', email: 'grace@example.com' } },
  WaitlistRejected: { subject: 'entry-1', data: { waitlistEntryId: 'entry-1', email: 'ada@example.com', rejectedBy: userId } },
  WaitlistApproved: {
    subject: 'wl-1',
    data: { waitlistEntryId: 'wl-1', email: 'grace@example.com', approvedBy: userId, inviteExpiresAt: '2025-06-08T00:00:00.000Z' },
  },
  EmailRequested: {
    subject: userId,
    data: {
      template: 'verify-email',
      to: 'ada@example.com',
      variables: { expiresAt: '2026-01-02T03:04:05.000Z' },
      sealedVariables: { link: 'v2.k1.aXY.dGFn.Y2lwaGVydGV4dA' },
      userId,
    },
  },
  EmailSent: {
    subject: 'req-1',
    data: { emailRequestId: 'req-1', template: 'verify-email', userId, provider: 'smtp', providerMessageId: '<m1@mailpit>', attempts: 1 },
  },
  EmailFailed: {
    subject: 'req-2',
    data: { emailRequestId: 'req-2', template: 'password-reset', reason: 'suppressed', permanent: true, attempts: 0 },
  },
  EmailDeliveryDegraded: {
    subject: 'sendgrid',
    data: {
      provider: 'sendgrid',
      windowStart: '2025-06-01T12:00:00.000Z',
      windowEnd: '2025-06-01T12:05:00.000Z',
      attempted: 40,
      failed: 12,
      failureRate: 0.3,
      threshold: 0.2,
    },
  },
  EmailDeliveryRecovered: {
    subject: 'sendgrid',
    data: {
      provider: 'sendgrid',
      windowStart: '2025-06-01T12:20:00.000Z',
      windowEnd: '2025-06-01T12:35:00.000Z',
      attempted: 40,
      failed: 0,
      failureRate: 0,
      threshold: 0.2,
    },
  },
  EmailSuppressionRemoved: {
    subject: 'ada@example.com',
    data: { email: 'ada@example.com', removedBy: adminId, suppressedFor: 'hard_bounce' },
  },
  DeletionGracePeriodExpired: { subject: userId, data: { userId, deletionRequestId } },
  MaintenanceDue: { subject: 'purge-expired-tokens', data: { task: 'purge-expired-tokens' } },
  MonthlyQuotaResetDue: { subject: '2025-07', data: { month: '2025-07' } },
  DailyReportGenerated: {
    subject: '2025-06-30',
    data: {
      date: '2025-06-30',
      counts: { registrations: 12, verifications: 9, deletionRequests: 1, deletions: 2, emailsSent: 30, emailsFailed: 1 },
      generatedAt: '2025-07-01T00:10:00.000Z',
    },
  },
};

/** The producing service's CloudEvents source, e.g. '/identity'. */
export function sampleSource(name: EventType): string {
  return `/${registry[name].type.split('.')[2]}`;
}
