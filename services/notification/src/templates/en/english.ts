import type { LocaleFormat, LocalePack } from '../localized-template';
import type { LayoutStrings } from '../email-layout';
import { accountDeleted } from './account-deleted.template';
import { accountLocked } from './account-locked.template';
import { deletionCancelled } from './deletion-cancelled.template';
import { deletionRequested } from './deletion-requested.template';
import { inactiveAccountWarning } from './inactive-account-warning.template';
import { passwordChanged } from './password-changed.template';
import { passwordReset } from './password-reset.template';
import { registrationAttempt } from './registration-attempt.template';
import { twoFactorDisabled } from './two-factor-disabled.template';
import { twoFactorEnabled } from './two-factor-enabled.template';
import { twoFactorResetCancelled } from './two-factor-reset-cancelled.template';
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** Rounded to the unit a reader thinks in: a 24-hour link sent a second later still says 24 hours. */
function span(ms: number): string {
  if (ms < 45 * MINUTE) return plural(Math.max(1, Math.round(ms / MINUTE)), 'minute');
  if (ms < 36 * HOUR) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.round(ms / DAY), 'day');
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
  },
};
