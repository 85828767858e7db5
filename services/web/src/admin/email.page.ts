import type { DailyReportResponse, EmailMetrics } from '@solar/contracts';
import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { formatDate } from '../i18n/locale';
import { field } from '../views/components';
import { html } from '../views/html';
import { renderAdmin } from './admin.page';

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10} %`);

export function renderEmailMetrics(page: Page, metrics: EmailMetrics): void {
  const { t } = page;
  renderAdmin(page, {
    title: t('admin.email'),
    body: html`<section aria-labelledby="providers-heading">
        <h2 id="providers-heading">${t('admin.emailProviders')}</h2>
        <ul class="entries" id="email-providers">
          ${metrics.providers.map(
            (provider) =>
              html`<li class=${provider.degraded ? 'entry entry-failed' : 'entry'}>
                <p class="entry-title">
                  <strong>${provider.provider}</strong>${' '}
                  <span class="tag">${t(provider.degraded ? 'admin.emailDegraded' : 'admin.emailHealthy')}</span>
                </p>
                <p class="entry-meta">
                  ${t('admin.emailWindow', {
                    rate: percent(provider.successRate),
                    attempts: provider.attempts,
                    failed: provider.failed,
                    minutes: Math.round(provider.window.seconds / 60),
                  })}
                </p>
              </li>`,
          )}
        </ul>
        <p class="hint">
          ${t('admin.emailPolicy', {
            threshold: percent(metrics.policy.successThreshold),
            attempts: metrics.policy.minAttempts,
            minutes: Math.round(metrics.policy.windowSeconds / 60),
          })}
        </p>
      </section>
      <section aria-labelledby="counters-heading">
        <h2 id="counters-heading">${t('admin.emailCounters')}</h2>
        <p class="hint">${t('admin.emailSince', { date: formatDate(page.locale, metrics.since) })}</p>
        ${
          metrics.counters.length === 0
            ? html`<p>${t('admin.emailNoCounters')}</p>`
            : html`<div class="table-scroll" role="region" aria-labelledby="counters-heading" tabindex="0">
                <table class="admin-table" id="email-counters">
                  <thead>
                    <tr>
                      <th scope="col">${t('admin.emailTemplate')}</th>
                      <th scope="col">${t('admin.emailProvider')}</th>
                      <th scope="col">${t('admin.emailOutcome')}</th>
                      <th scope="col">${t('admin.emailCount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${metrics.counters.map(
                      (row) =>
                        html`<tr>
                          <th scope="row">${row.template}</th>
                          <td>${row.provider}</td>
                          <td>${row.outcome}</td>
                          <td>${row.count}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>`,
  });
}

const COUNTS: [keyof DailyReportResponse['counts'], MessageKey][] = [
  ['registrations', 'admin.reportRegistrations'],
  ['verifications', 'admin.reportVerifications'],
  ['deletionRequests', 'admin.reportDeletionRequests'],
  ['deletions', 'admin.reportDeletions'],
  ['emailsSent', 'admin.reportEmailsSent'],
  ['emailsFailed', 'admin.reportEmailsFailed'],
];

export function renderDailyReport(
  page: Page,
  view: { date: string; report: DailyReportResponse | null; error?: string; status?: number },
): void {
  const { t } = page;
  renderAdmin(page, {
    title: t('admin.reports'),
    status: view.status ?? 200,
    error: view.error,
    body: html`<form method="get" action="/admin/reports">
        ${field({ name: 'date', label: t('admin.reportDate'), hint: t('admin.reportDateHint'), autocomplete: 'off', value: view.date })}
        <button type="submit" class="button">${t('admin.reportShow')}</button>
      </form>
      ${
        view.report
          ? html`<dl id="daily-report">
                ${COUNTS.map(
                  ([key, label]) =>
                    html`<dt>${t(label)}</dt>
                      <dd>${view.report?.counts[key]}</dd>`,
                )}
              </dl>
              <p class="hint">${t('admin.reportGenerated', { date: formatDate(page.locale, view.report.generatedAt) })}</p>`
          : null
      }`,
  });
}
