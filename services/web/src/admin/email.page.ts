import type { BounceEventPage, DailyReportResponse, EmailMetrics, SuppressionPage, SuppressionRemovalPage } from '@solar/contracts';
import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { formatDate } from '../i18n/locale';
import { field } from '../views/components';
import { html, type Markup } from '../views/html';
import { renderAdmin } from './admin.page';

export interface EmailPageView {
  metrics: EmailMetrics;
  q: string;
  suppressions: SuppressionPage;
  bounces: BounceEventPage;
  removals: SuppressionRemovalPage;
  info?: string | undefined;
  error?: string | undefined;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10} %`);

export function renderEmailPage(page: Page, view: EmailPageView): void {
  const { t } = page;
  const { metrics } = view;
  renderAdmin(page, {
    title: t('admin.email'),
    info: view.info,
    error: view.error,
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
      </section>
      ${suppressionList(page, view)} ${bounceList(page, view.bounces)} ${removalList(page, view.removals)}`,
  });
}

function suppressionList(page: Page, view: EmailPageView): Markup {
  const { t } = page;
  const next = view.suppressions.nextCursor;
  return html`<section aria-labelledby="suppressions-heading">
    <h2 id="suppressions-heading">${t('admin.suppressions')}</h2>
    <p class="hint">${t('admin.suppressionsHint')}</p>
    <form method="get" action="/admin/email" role="search">
      ${field({ name: 'q', label: t('admin.search'), type: 'text', autocomplete: 'off', value: view.q, required: false })}
      <button type="submit" class="button">${t('admin.searchSubmit')}</button>
    </form>
    ${
      view.suppressions.items.length === 0
        ? html`<p>${t('admin.noSuppressions')}</p>`
        : html`<ul class="entries" id="suppressions">
            ${view.suppressions.items.map((entry, index) => suppressionEntry(page, entry, `remove-reason-${index}`))}
          </ul>`
    }
    ${next ? html`<p><a href=${`/admin/email?${new URLSearchParams({ q: view.q, cursor: next }).toString()}`}>${t('admin.more')}</a></p>` : null}
  </section>`;
}

/** One suppressed address with its own removal form: the reason is what the API records. */
function suppressionEntry(page: Page, entry: SuppressionPage['items'][number], reasonId: string): Markup {
  const { t } = page;
  return html`<li class="entry">
    <p class="entry-title"><strong>${entry.address}</strong> <span class="tag">${t(`admin.suppressionReason.${entry.reason}`)}</span></p>
    <p class="entry-meta">${t('admin.suppressionSince', { source: entry.source, date: formatDate(page.locale, entry.since) })}</p>
    ${
      entry.lastEvent
        ? html`<p class="entry-meta">
            ${t('admin.suppressionLast', {
              kind: t(`admin.bounceKind.${entry.lastEvent.kind}`),
              provider: entry.lastEvent.provider,
              date: formatDate(page.locale, entry.lastEvent.at),
            })}
          </p>`
        : null
    }
    <form method="post" action="/admin/email/suppressions/remove" class="admin-action" novalidate>
      <input type="hidden" name="_csrf" value=${page.session.csrf} />
      <input type="hidden" name="address" value=${entry.address} />
      <div class="field">
        <label for=${reasonId}>${t('admin.removeReason', { email: entry.address })}</label>
        <input id=${reasonId} name="reason" type="text" autocomplete="off" required maxlength="500" />
      </div>
      <button type="submit" class="button button-secondary" aria-label=${t('admin.removeSuppressionLabel', { email: entry.address })}>
        ${t('admin.removeSuppression')}
      </button>
    </form>
  </li>`;
}

function bounceList(page: Page, bounces: BounceEventPage): Markup {
  const { t } = page;
  return html`<section aria-labelledby="bounces-heading">
    <h2 id="bounces-heading">${t('admin.bounces')}</h2>
    ${
      bounces.items.length === 0
        ? html`<p>${t('admin.noBounces')}</p>`
        : html`<div class="table-scroll" role="region" aria-labelledby="bounces-heading" tabindex="0">
            <table class="admin-table" id="bounces">
              <thead>
                <tr>
                  <th scope="col">${t('admin.bounceAddress')}</th>
                  <th scope="col">${t('admin.bounceKind')}</th>
                  <th scope="col">${t('admin.emailProvider')}</th>
                  <th scope="col">${t('admin.bounceReceived')}</th>
                </tr>
              </thead>
              <tbody>
                ${bounces.items.map(
                  (event) =>
                    html`<tr>
                      <th scope="row">${event.address ?? t('admin.bounceErased')}</th>
                      <td>${t(`admin.bounceKind.${event.kind}`)}</td>
                      <td>${event.provider}</td>
                      <td>${formatDate(page.locale, event.receivedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function removalList(page: Page, removals: SuppressionRemovalPage): Markup {
  const { t } = page;
  return html`<section aria-labelledby="removals-heading">
    <h2 id="removals-heading">${t('admin.suppressionRemovals')}</h2>
    ${
      removals.items.length === 0
        ? html`<p>${t('admin.noRemovals')}</p>`
        : html`<ul class="entries" id="suppression-removals">
            ${removals.items.map(
              (removal) =>
                html`<li class="entry">
                  <p class="entry-title"><strong>${removal.address ?? t('admin.bounceErased')}</strong></p>
                  <p class="entry-meta">
                    ${t('admin.removalEntry', { admin: removal.removedBy, date: formatDate(page.locale, removal.removedAt), note: removal.note })}
                  </p>
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

const COUNTS: [keyof DailyReportResponse['counts'], MessageKey][] = [
  ['registrations', 'admin.reportRegistrations'],
  ['verifications', 'admin.reportVerifications'],
  ['deletionRequests', 'admin.reportDeletionRequests'],
  ['deletions', 'admin.reportDeletions'],
  ['emailsSent', 'admin.reportEmailsSent'],
  ['emailsFailed', 'admin.reportEmailsFailed'],
];

type Counts = DailyReportResponse['counts'];

/** One bar chart a count: a bar a day, scaled to the largest day, a gap for a day not counted. */
function countChart(page: Page, key: keyof Counts, label: MessageKey, days: { day: string; counts: Counts | null }[]): Markup {
  const { t } = page;
  const values = days.map(({ counts }) => (counts ? counts[key] : null));
  const top = Math.max(1, ...values.map((value) => value ?? 0));
  const width = 20;
  const height = 48;
  // Read out as the numbers themselves: the picture adds nothing a screen reader needs.
  const spoken = days.map(({ day }, i) => `${day}: ${values[i] ?? t('admin.reportNotCounted')}`).join(', ');
  return html`<figure class="report-chart">
    <figcaption>${t(label)}: ${t('admin.reportMost', { count: String(Math.max(0, ...values.map((value) => value ?? 0))) })}</figcaption>
    <svg
      role="img"
      aria-label="${t(label)}. ${spoken}"
      viewBox="0 0 ${days.length * width} ${height}"
      width="${days.length * width}"
      height="${height}"
    >
      <line x1="0" y1="${height - 0.5}" x2="${days.length * width}" y2="${height - 0.5}" stroke="currentColor" stroke-opacity="0.4"></line>
      ${values.map((value, i) => {
        const barHeight = value === null ? 0 : Math.max(value > 0 ? 2 : 0, Math.round((value / top) * (height - 2)));
        return html`<rect
          x="${i * width + 2}"
          y="${height - barHeight}"
          width="${width - 4}"
          height="${barHeight}"
          fill="currentColor"
        ></rect>`;
      })}
    </svg>
  </figure>`;
}

export function renderDailyReport(
  page: Page,
  view: {
    date: string;
    report: DailyReportResponse | null;
    days?: { day: string; counts: Counts | null }[];
    error?: string;
    status?: number;
  },
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
      }
      ${
        view.days
          ? html`<section id="report-chart" aria-labelledby="report-chart-title">
              <h2 id="report-chart-title">${t('admin.reportChart', { count: String(view.days.length), date: view.date })}</h2>
              ${COUNTS.map(([key, label]) => countChart(page, key, label, view.days ?? []))}
            </section>`
          : null
      }`,
  });
}
