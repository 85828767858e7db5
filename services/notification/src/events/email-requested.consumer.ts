import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Logger } from '@solar/chassis';
import type { deliverEmail } from '../delivery/deliver-email.use-case';

/** Thin: picks the email requests out of the topic and hands them to the use case. */
export function emailRequestedHandler(deliver: ReturnType<typeof deliverEmail>, logger: Logger) {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (!isEvent(event, 'EmailRequested')) return;
    const outcome = await deliver({ eventId: event.id, data: event.data });
    logger.info({ eventId: event.id, template: event.data.template, outcome }, 'email request handled');
  };
}
