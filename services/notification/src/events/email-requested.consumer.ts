import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import { DeadLetterError, type ConsumedContext, type Logger } from '@solar/chassis';
import type { deliverEmail } from '../delivery/deliver-email.use-case';

/** Thin: picks the email requests out of the topic and hands them to the use case. */
export function emailRequestedHandler(deliver: ReturnType<typeof deliverEmail>, logger: Logger) {
  return async (event: AnyCloudEvent, context: ConsumedContext): Promise<void> => {
    if (!isEvent(event, 'EmailRequested')) return;
    const outcome = await deliver({ eventId: event.id, data: event.data, heartbeat: context.heartbeat });
    logger.info({ eventId: event.id, template: event.data.template, outcome }, 'email request handled');
    // Delivery has retried already and recorded EmailFailed; the request is parked for a person to replay.
    if (outcome === 'unavailable') {
      throw new DeadLetterError('provider_unavailable', `email provider unavailable for request ${event.id} after retries`);
    }
  };
}
