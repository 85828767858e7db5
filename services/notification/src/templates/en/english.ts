import type { LocaleFormat, LocalePack } from '../localized-template';
import type { LayoutStrings } from '../email-layout';
import { roundedSpan } from '../time-span';
import { accountDeleted } from './account-deleted.template';
import { accountLocked } from './account-locked.template';
import { deletionCancelled } from './deletion-cancelled.template';
import { deletionRequested } from './deletion-requested.template';
import { inactiveAccountWarning } from './inactive-account-warning.template';
import { emailChangeAddressTaken } from './email-change-address-taken.template';
import { emailChangeRequested } from './email-change-requested.template';
import { emailChanged } from './email-changed.template';
import { passwordBreached } from './password-breached.template';
import { passwordChanged } from './password-changed.template';
import { passwordReset } from './password-reset.template';
import { registrationAttempt } from './registration-attempt.template';
import { twoFactorDisabled } from './two-factor-disabled.template';
import { dataExportReady } from './data-export-ready.template';
import { passkeyAdded } from './passkey-added.template';
import { twoFactorEnabled } from './two-factor-enabled.template';
import { twoFactorResetByAdmin } from './two-factor-reset-by-admin.template';
import { twoFactorResetCancelled } from './two-factor-reset-cancelled.template';
import { webhookEndpointDisabled } from './webhook-endpoint-disabled.template';
import { twoFactorResetRequested } from './two-factor-reset-requested.template';
import { twoFactorResetScheduled } from './two-factor-reset-scheduled.template';
import { verifyEmail } from './verify-email.template';
import { waitlistApproved } from './waitlist-approved.template';
import { waitlistJoined } from './waitlist-joined.template';

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function span(ms: number): string {
  const { count, unit } = roundedSpan(ms);
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const englishFormat: LocaleFormat = {
  // UTC for everyone: we do not know the reader's zone, and a named zone cannot be misread.
  dateTime: (date) => `${DATE_TIME.format(date)} UTC`,
  timeUntil: (date, now) => {
    const ms = date.getTime() - now.getTime();
    // Sent late (a provider outage, a replay): "now" stays true without claiming time that is gone.
    return ms <= 0 ? 'now' : `in ${span(ms)}`;
  },
};

const englishLayout: LayoutStrings = {
  lang: 'en',
  linkFallback: 'If the button does not work, copy this link into your browser:',
  reason: (brandName) => `You are receiving this email because it concerns your ${brandName} account.`,
  support: (email) => `Questions? Write to ${email}.`,
};

export const english: LocalePack = {
  layout: englishLayout,
  format: englishFormat,
  templates: {
    'verify-email': verifyEmail,
    'password-reset': passwordReset,
    'password-changed': passwordChanged,
    'email-change-requested': emailChangeRequested,
    'email-change-address-taken': emailChangeAddressTaken,
    'email-changed': emailChanged,
    'password-breached': passwordBreached,
    'registration-attempt': registrationAttempt,
    'account-locked': accountLocked,
    'deletion-requested': deletionRequested,
    'deletion-cancelled': deletionCancelled,
    'account-deleted': accountDeleted,
    'inactive-account-warning': inactiveAccountWarning,
    'waitlist-joined': waitlistJoined,
    'waitlist-approved': waitlistApproved,
    'two-factor-enabled': twoFactorEnabled,
    'two-factor-disabled': twoFactorDisabled,
    'two-factor-reset-requested': twoFactorResetRequested,
    'two-factor-reset-scheduled': twoFactorResetScheduled,
    'two-factor-reset-cancelled': twoFactorResetCancelled,
    'passkey-added': passkeyAdded,
    'two-factor-reset-by-admin': twoFactorResetByAdmin,
    'data-export-ready': dataExportReady,
    'webhook-endpoint-disabled': webhookEndpointDisabled,
  },
};
