import type { LocaleFormat, LocalePack } from '../localized-template';
import type { LayoutStrings } from '../email-layout';
import { roundedSpan, type SpanUnit } from '../time-span';
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

// "Montag, 2. März 2026 um 10:15": the "um" comes from ICU's German pattern, which Node ships in full.
const DATE_TIME = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// Dative plural, as the span always follows "in": "in 7 Tagen", "in 24 Stunden".
const UNITS: Record<SpanUnit, [one: string, many: string]> = {
  minute: ['Minute', 'Minuten'],
  hour: ['Stunde', 'Stunden'],
  day: ['Tag', 'Tagen'],
};

const germanFormat: LocaleFormat = {
  // UTC for everyone, as in English: we do not know the reader's zone.
  dateTime: (date) => `${DATE_TIME.format(date)} UTC`,
  timeUntil: (date, now) => {
    const ms = date.getTime() - now.getTime();
    if (ms <= 0) return 'jetzt';
    const { count, unit } = roundedSpan(ms);
    return `in ${count} ${UNITS[unit][count === 1 ? 0 : 1]}`;
  },
};

const germanLayout: LayoutStrings = {
  lang: 'de',
  linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
  reason: (brandName) => `Sie erhalten diese E-Mail, weil sie Ihr Konto bei ${brandName} betrifft.`,
  support: (email) => `Fragen? Schreiben Sie an ${email}.`,
};

/** Formal address (Sie) throughout; the brand is never compounded ("Konto bei Solar Accounts"), since it may contain spaces. */
export const german: LocalePack = {
  layout: germanLayout,
  format: germanFormat,
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
