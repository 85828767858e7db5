import type { WebhookDeliveryList, WebhookEndpoint, WebhookEndpointList } from '@solar/contracts';
import type { Page } from '../http/page-context';
import { formatDate } from '../i18n/locale';
import { html, type Markup } from '../views/html';
import { actionButton, renderAdmin } from './admin.page';

function endpointState(page: Page, endpoint: WebhookEndpoint): string {
  const { t } = page;
  if (endpoint.enabled) {
    return endpoint.failingSince
      ? t('admin.webhookFailingSince', { date: formatDate(page.locale, endpoint.failingSince) })
      : t('admin.webhookEnabled');
  }
  return t(endpoint.disabledReason === 'failing' ? 'admin.webhookDisabledFailing' : 'admin.webhookDisabled');
}

export function renderWebhooks(page: Page, endpoints: WebhookEndpointList): void {
  const { t } = page;
  renderAdmin(page, {
    title: t('admin.webhooks'),
    body:
      endpoints.items.length === 0
        ? html`<p>${t('admin.webhooksNone')}</p>`
        : html`<ul class="entries" id="webhooks">
            ${endpoints.items.map(
              (endpoint) =>
                html`<li class=${endpoint.enabled && !endpoint.failingSince ? 'entry' : 'entry entry-failed'}>
                  <p class="entry-title"><a href=${`/admin/webhooks/${encodeURIComponent(endpoint.id)}`}>${endpoint.url}</a></p>
                  <p class="entry-meta">${endpointState(page, endpoint)} · ${endpoint.eventTypes.join(', ')}</p>
                  ${endpoint.description ? html`<p class="entry-meta">${endpoint.description}</p>` : null}
                </li>`,
            )}
          </ul>`,
  });
}

export function renderWebhook(
  page: Page,
  view: {
    endpoint: WebhookEndpoint;
    deliveries: WebhookDeliveryList['items'] | null;
    info?: string | undefined;
    error?: string | undefined;
  },
): void {
  const { t } = page;
  const { endpoint } = view;
  renderAdmin(page, {
    title: t('admin.webhook'),
    info: view.info,
    error: view.error,
    body: html`<dl>
        <dt>${t('admin.webhookUrl')}</dt>
        <dd>${endpoint.url}</dd>
        <dt>${t('admin.state')}</dt>
        <dd id="webhook-state">${endpointState(page, endpoint)}</dd>
        <dt>${t('admin.webhookEvents')}</dt>
        <dd>${endpoint.eventTypes.join(', ')}</dd>
        ${
          endpoint.description
            ? html`<dt>${t('admin.webhookDescription')}</dt>
                <dd>${endpoint.description}</dd>`
            : null
        }
      </dl>
      <p>${actionButton(page, { action: `/admin/webhooks/${encodeURIComponent(endpoint.id)}/test`, submit: t('admin.webhookTest') })}</p>
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">${t('admin.webhookDeliveries')}</h2>
        ${view.deliveries ? deliveryList(page, view.deliveries) : html`<p>${t('error.body')}</p>`}
      </section>`,
  });
}

function deliveryList(page: Page, deliveries: WebhookDeliveryList['items']): Markup {
  const { t } = page;
  if (deliveries.length === 0) return html`<p>${t('admin.webhookNoDeliveries')}</p>`;
  return html`<ul class="entries" id="webhook-deliveries">
    ${deliveries.map(
      (delivery) =>
        html`<li class=${delivery.status === 'dead' ? 'entry entry-failed' : 'entry'}>
          <p class="entry-title">
            <strong>${delivery.eventType}</strong>${' '}<span class="tag">${t(`admin.delivery.${delivery.status}`)}</span>
          </p>
          <p class="entry-meta">
            ${t('admin.deliveryAttempts', { n: delivery.attempts, date: formatDate(page.locale, delivery.createdAt) })}
            ${delivery.lastStatus !== null ? ` · HTTP ${delivery.lastStatus}` : ''}
          </p>
          ${delivery.lastResponse ? html`<p class="entry-meta">${delivery.lastResponse}</p>` : null}
        </li>`,
    )}
  </ul>`;
}
