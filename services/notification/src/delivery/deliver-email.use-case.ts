import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent, type AnyCloudEvent, type EventData } from '@solar/contracts';
import { backoffDelay, EmailVariableError, openEmailVariables, SpanKind, withSpan, type BackoffPolicy, type Sealer } from '@solar/chassis';
import type { EmailProvider, OutgoingEmail, SendResult } from '../providers/email-provider';
import { failureFromError, type SendFailure } from '../providers/send-failure';
import { TemplateError, renderEmail, type Brand } from '../templates/render-email';
import type { MonitoredOutcome, OutcomeRecorder } from '../monitoring/delivery-monitor';
import type { Claim, DeliveryRequest } from './delivery.repository';

export interface DeliveryStore {
  claim(request: DeliveryRequest, leaseMs: number): Promise<Claim | null>;
  renew(claim: Claim, leaseUntil: Date): Promise<boolean>;
  markSent(claim: Claim, result: SendResult, events: AnyCloudEvent[]): Promise<void>;
  markFailed(claim: Claim, error: string, events: AnyCloudEvent[]): Promise<void>;
}

export interface DeliverEmailDeps {
  deliveries: DeliveryStore;
  provider: EmailProvider;
  brand: Brand;
  /** The origin of APP_URL: links elsewhere are refused (see RenderOptions.linkOrigin). */
  linkOrigin: string;
  /** EMAIL_LINK_KEYS: opens the request's sealed variables; links that arrive in clear or do not open are refused. */
  linkSealer: Sealer;
  from: string;
  messageIdDomain: string;
  leaseMs: number;
  /** Transient failures (429, 5xx, timeouts, connection errors) are retried here, this many attempts in all. */
  retry: BackoffPolicy;
  /** The provider's per-call timeout: the lease renewed before a retry covers the wait and this. */
  sendTimeoutMs: number;
  clock: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Addresses that bounced hard or complained (src/suppression); absent, nothing is suppressed. */
  suppressions?: { isSuppressed(address: string): Promise<boolean> };
  /** Counts each outcome for the success rate and alerts (src/monitoring); absent, nothing is counted. */
  monitor?: OutcomeRecorder;
  /** Emails per recipient and template per hour (src/delivery/recipient-cap.repository.ts); absent, no cap. */
  recipientCap?: { take(to: string, template: string, limit: number, now: Date): Promise<boolean>; limit: number };
}

export type EmailRequest = {
  eventId: string;
  data: EventData<'EmailRequested'>;
  /** Called while waiting between retries, so a Kafka consumer keeps its place in the group. */
  heartbeat?: () => Promise<void>;
};
/** `unavailable`: transient failures outlasted the retries; recorded as failed, worth handing to a person. */
/** `capped`: the recipient had this template's hourly limit already; not sent, nothing published. */
export type DeliveryOutcome = 'sent' | 'failed' | 'unavailable' | 'already_handled' | 'capped';

const SOURCE = '/notification';

/**
 * Sends one requested email at most once: the delivery record, keyed by the request's event id, is
 * claimed before sending. The one window left is a crash after the provider accepted the message and
 * before `markSent`; the retry then sends again, with the same Message-ID, so the duplicate can be
 * recognised downstream.
 *
 * Permanent failures end the delivery at once; transient ones are retried with full-jitter backoff
 * under the same claim, renewed before each wait and checked again after it (a worker whose claim was
 * taken over meanwhile sends no more), and end as EmailFailed(provider_unavailable).
 */
export function deliverEmail(deps: DeliverEmailDeps) {
  const wait = deps.sleep ?? sleep;
  return async ({ eventId, data, heartbeat }: EmailRequest): Promise<DeliveryOutcome> => {
    const messageId = `<${eventId}@${deps.messageIdDomain}>`;
    const claim = await deps.deliveries.claim(
      { eventId, template: data.template, to: data.to, userId: data.userId ?? null, payload: JSON.stringify(data), messageId },
      deps.leaseMs,
    );
    if (!claim) return 'already_handled';
    const count = (outcome: MonitoredOutcome) => deps.monitor?.record({ provider: deps.provider.name, template: data.template, outcome });

    const failed = (reason: EventData<'EmailFailed'>['reason'], detail: string, attempts: number, permanent: boolean) =>
      deps.deliveries.markFailed(claim, detail, [
        event(deps, eventId, 'EmailFailed', {
          emailRequestId: eventId,
          template: data.template,
          ...user(data),
          // The contract leaves the provider out when none was tried.
          ...(attempts > 0 ? { provider: deps.provider.name } : {}),
          reason,
          permanent,
          attempts,
          detail,
        }),
      ]);

    // Checked under the claim, so a redelivered request is answered by its record, not checked again.
    if (await deps.suppressions?.isSuppressed(data.to)) {
      count('suppressed');
      await failed('suppressed', 'the recipient is on the suppression list', 0, true);
      return 'failed';
    }

    // Under the claim too, so a redelivered request is not counted twice. Not an EmailFailed: nothing
    // went wrong, and neither the monitor's failure rate nor the requester should see it (identity has
    // answered them already, the same either way).
    const cap = deps.recipientCap;
    if (cap && !(await cap.take(data.to, data.template, cap.limit, deps.clock()))) {
      await deps.deliveries.markFailed(claim, 'capped: the hourly limit for this recipient and template was reached', []);
      return 'capped';
    }

    let email: OutgoingEmail;
    try {
      email = {
        from: deps.from,
        to: data.to,
        messageId,
        ...(await renderEmail(data.template, openEmailVariables(deps.linkSealer, data), deps.brand, {
          locale: data.locale,
          now: deps.clock(),
          linkOrigin: deps.linkOrigin,
        })),
      };
    } catch (error) {
      if (!(error instanceof TemplateError) && !(error instanceof EmailVariableError)) throw error;
      count('rendering_failed');
      await failed('rendering_failed', error.message, 0, true);
      return 'failed';
    }

    for (let attempt = 1; ; attempt++) {
      let failure: SendFailure;
      try {
        // nodemailer has no instrumentation: this span is the SMTP send in the trace (an HTTP provider's
        // request shows beneath it). Attributes name the provider and template, never the recipient.
        const result = await withSpan(
          `${deps.provider.name} send`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'email.provider': deps.provider.name,
              'email.template': data.template,
              'email.request_id': eventId,
              'email.attempt': attempt,
            },
          },
          () => deps.provider.send(email),
        );
        count('sent');
        await deps.deliveries.markSent(claim, result, [
          event(deps, eventId, 'EmailSent', {
            emailRequestId: eventId,
            template: data.template,
            ...user(data),
            provider: result.provider,
            providerMessageId: result.providerMessageId,
            // Earlier claims (taken over after a crash) made at least one attempt each.
            attempts: claim.attempt - 1 + attempt,
          }),
        ]);
        return 'sent';
      } catch (error) {
        failure = failureFromError(error);
      }
      count(failure.permanent || attempt >= deps.retry.attempts ? 'failed' : 'retried');
      if (failure.permanent) {
        await failed(failure.reason, failure.message, attempt, true);
        return 'failed';
      }
      if (attempt >= deps.retry.attempts) {
        await failed('provider_unavailable', failure.message, attempt, false);
        return 'unavailable';
      }
      const delay = backoffDelay(deps.retry, attempt, deps.random);
      // The claim must outlast the wait and the next call, or another worker could take it over mid-send.
      const leaseUntil = new Date(deps.clock().getTime() + delay + deps.sendTimeoutMs + deps.leaseMs);
      if (!(await deps.deliveries.renew(claim, leaseUntil))) return 'already_handled';
      // Best effort: a rebalance makes this throw, but the claim already guards against a second send,
      // so finishing this delivery beats abandoning it until its lease runs out.
      await heartbeat?.().catch(() => undefined);
      await wait(delay);
      // A wait that overran the lease (a paused process, a slow heartbeat) may have let another worker
      // take the delivery over and send it: only the claim's owner sends again.
      if (!(await deps.deliveries.renew(claim, new Date(deps.clock().getTime() + deps.sendTimeoutMs + deps.leaseMs)))) {
        return 'already_handled';
      }
    }
  };
}

const user = (data: EventData<'EmailRequested'>) => (data.userId ? { userId: data.userId } : {});

function event<K extends 'EmailSent' | 'EmailFailed'>(
  deps: DeliverEmailDeps,
  requestId: string,
  name: K,
  data: Parameters<typeof createEvent<K>>[1]['data'],
) {
  return createEvent(name, { source: SOURCE, subject: requestId, time: deps.clock(), data }) as AnyCloudEvent;
}
