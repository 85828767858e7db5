import type { Metrics } from '@solar/chassis';
import type { OutcomeRecord, OutcomeRecorder } from './delivery-monitor';

/**
 * Prometheus series of the emails: every delivery outcome by provider and template (sent, failed,
 * retried, suppressed, rendering_failed), and what providers report afterwards by webhook (bounces,
 * complaints), which names no template.
 */
export function deliveryCounters(metrics: Metrics) {
  const emails = metrics.counter({
    name: 'solar_notification_emails_total',
    help: 'Email send outcomes by provider, template and outcome (sent, failed, retried, suppressed, rendering_failed)',
    labelNames: ['provider', 'template', 'outcome'],
  });
  const mailEvents = metrics.counter({
    name: 'solar_notification_mail_events_total',
    help: 'Reports received from providers by webhook, by provider and kind (hard_bounce, soft_bounce, complaint, dropped)',
    labelNames: ['provider', 'kind'],
  });
  return { emails: { record: (record: OutcomeRecord) => emails.inc(record) } satisfies OutcomeRecorder, mailEvents };
}

/** One recorder feeding several: the delivery monitor's alerts and the Prometheus series. */
export function recordEach(...recorders: OutcomeRecorder[]): OutcomeRecorder {
  return { record: (record) => recorders.forEach((recorder) => recorder.record(record)) };
}
