import type { AuditPage } from '@solar/contracts';
import { formatDate, type Locale, type Translate } from '../i18n/locale';
import { deviceName } from './device-name';

type AuditEntry = AuditPage['items'][number];

/** One audit entry as its owner reads it: what happened and whether it went through, then when, on what, from where. */
export function activityOf(entry: AuditEntry, t: Translate, locale: Locale): { what: string; where: string; failed: boolean } {
  const failed = entry.outcome === 'failure';
  return {
    what: t('account.activityEntry', {
      what: t(`account.audit.${entry.action}`),
      outcome: t(failed ? 'account.activityFailed' : 'account.activitySucceeded'),
    }),
    where: t('account.activityWhere', {
      date: formatDate(locale, entry.at),
      device: deviceName(entry.userAgent, t),
      ip: entry.ip || '–',
    }),
    failed,
  };
}
