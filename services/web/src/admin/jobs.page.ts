import type { AdminJob, AdminJobsResponse } from '@solar/contracts';
import type { Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { formatDate } from '../i18n/locale';
import { html, type Markup } from '../views/html';
import { actionButton, renderAdmin } from './admin.page';

const STATES: { state: 'upcoming' | 'running' | 'failed'; title: MessageKey }[] = [
  { state: 'failed', title: 'admin.jobsFailed' },
  { state: 'running', title: 'admin.jobsRunning' },
  { state: 'upcoming', title: 'admin.jobsUpcoming' },
];

export function renderJobs(page: Page, view: { jobs: AdminJobsResponse; info?: string | undefined; error?: string | undefined }): void {
  const { t } = page;
  const { jobs } = view;
  renderAdmin(page, {
    title: t('admin.jobs'),
    info: view.info,
    error: view.error,
    body: html`<section aria-labelledby="jobs-summary-heading">
        <h2 id="jobs-summary-heading">${t('admin.jobsSummary')}</h2>
        <div class="table-scroll" role="region" aria-labelledby="jobs-summary-heading" tabindex="0">
          <table class="admin-table" id="jobs-summary">
            <thead>
              <tr>
                <th scope="col">${t('admin.jobName')}</th>
                <th scope="col">${t('admin.jobsUpcoming')}</th>
                <th scope="col">${t('admin.jobsRunning')}</th>
                <th scope="col">${t('admin.jobsFailed')}</th>
                <th scope="col">${t('admin.jobsCompleted')}</th>
              </tr>
            </thead>
            <tbody>
              ${jobs.summary.map(
                (row) =>
                  html`<tr>
                    <th scope="row">${row.name}</th>
                    <td>${row.upcoming}</td>
                    <td>${row.running}</td>
                    <td>${row.failed}</td>
                    <td>${row.completed}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      ${STATES.map(
        ({ state, title }) =>
          html`<section aria-labelledby=${`jobs-${state}-heading`}>
            <h2 id=${`jobs-${state}-heading`}>${t(title)}</h2>
            ${jobList(page, state, jobs[state] ?? [])}
            ${state === 'failed' && (jobs.failed ?? []).length > 0 ? html`<p class="hint">${t('admin.jobsRetryHint')}</p>` : null}
          </section>`,
      )}`,
  });
}

function jobList(page: Page, state: string, jobs: AdminJob[]): Markup {
  const { t } = page;
  if (jobs.length === 0) return html`<p>${t('admin.jobsNone')}</p>`;
  return html`<ul class="entries" id=${`jobs-${state}`}>
    ${jobs.map(
      (job) =>
        html`<li class=${job.failedAt ? 'entry entry-failed' : 'entry'}>
          <p class="entry-title"><strong>${job.name}</strong></p>
          ${job.schedule ? html`<p class="entry-meta">${t('admin.jobSchedule', { schedule: job.schedule })}</p>` : null}
          ${job.nextRunAt ? html`<p class="entry-meta">${t('admin.jobNext', { date: formatDate(page.locale, job.nextRunAt) })}</p>` : null}
          ${
            job.failedAt
              ? html`<p class="entry-meta">${t('admin.jobFailedAt', { date: formatDate(page.locale, job.failedAt), n: job.failures })}</p>`
              : null
          }
          ${job.lastError ? html`<p class="entry-meta">${t('admin.jobError', { error: job.lastError })}</p>` : null}
          ${
            job.retriedAt && job.retriedBy
              ? html`<p class="entry-meta">
                  ${t('admin.jobRetried', { date: formatDate(page.locale, job.retriedAt), admin: job.retriedBy })}
                </p>`
              : null
          }
          ${state === 'failed' ? retryButton(page, job) : null}
        </li>`,
    )}
  </ul>`;
}

function retryButton(page: Page, job: AdminJob): Markup {
  const failed = job.failedAt ? formatDate(page.locale, job.failedAt) : '';
  return html`<p class="entry-buttons">
    ${actionButton(page, {
      action: `/admin/jobs/${encodeURIComponent(job.id)}/retry`,
      submit: page.t('admin.jobRetry'),
      label: page.t('admin.jobRetryLabel', { name: job.name, date: failed }),
    })}
  </p>`;
}
