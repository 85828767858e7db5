import { createEvent, type AnyCloudEvent, type EventData } from '@solar/contracts';
import type { EmailProvider, OutgoingEmail, SendResult } from '../providers/email-provider';
import { PermanentSendError } from '../providers/email-provider';
import { TemplateError, renderEmail, type Brand } from '../templates/render-email';
import type { Claim, DeliveryRequest } from './delivery.repository';

export interface DeliveryStore {
  claim(request: DeliveryRequest, leaseMs: number): Promise<Claim | null>;
  release(claim: Claim, error: string): Promise<void>;
  markSent(claim: Claim, result: SendResult, events: AnyCloudEvent[]): Promise<void>;
  markFailed(claim: Claim, error: string, events: AnyCloudEvent[]): Promise<void>;
}

export interface DeliverEmailDeps {
  deliveries: DeliveryStore;
  provider: EmailProvider;
  brand: Brand;
  from: string;
  messageIdDomain: string;
  leaseMs: number;
  clock: () => Date;
}

export type EmailRequest = { eventId: string; data: EventData<'EmailRequested'> };
export type DeliveryOutcome = 'sent' | 'failed' | 'already_handled';

const SOURCE = '/notification';

/**
 * Sends one requested email at most once: the delivery record, keyed by the request's event id, is
 * claimed before sending. The one window left is a crash after the provider accepted the message and
 * before `markSent`; the retry then sends again, with the same Message-ID, so the duplicate can be
 * recognised downstream.
 */
export function deliverEmail(deps: DeliverEmailDeps) {
  return async ({ eventId, data }: EmailRequest): Promise<DeliveryOutcome> => {
    const messageId = `<${eventId}@${deps.messageIdDomain}>`;
    const claim = await deps.deliveries.claim(
      { eventId, template: data.template, to: data.to, userId: data.userId ?? null, payload: JSON.stringify(data), messageId },
      deps.leaseMs,
    );
    if (!claim) return 'already_handled';

    const failed = (reason: EventData<'EmailFailed'>['reason'], detail: string, attempts: number) =>
      deps.deliveries.markFailed(claim, detail, [
        event(deps, eventId, 'EmailFailed', {
          emailRequestId: eventId,
          template: data.template,
          ...user(data),
          provider: deps.provider.name,
          reason,
          permanent: true,
          attempts,
          detail,
        }),
      ]);

    let email: OutgoingEmail;
    try {
      email = { from: deps.from, to: data.to, messageId, ...renderEmail(data.template, data.variables, deps.brand) };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      await failed('rendering_failed', error.message, 0);
      return 'failed';
    }

    try {
      const result = await deps.provider.send(email);
      await deps.deliveries.markSent(claim, result, [
        event(deps, eventId, 'EmailSent', {
          emailRequestId: eventId,
          template: data.template,
          ...user(data),
          provider: result.provider,
          providerMessageId: result.providerMessageId,
          attempts: claim.attempt,
        }),
      ]);
      return 'sent';
    } catch (error) {
      if (error instanceof PermanentSendError) {
        await failed('rejected', error.message, claim.attempt);
        return 'failed';
      }
      await deps.deliveries.release(claim, error instanceof Error ? error.message : String(error));
      throw error;
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
