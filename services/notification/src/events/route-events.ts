import type { AnyCloudEvent } from '@solar/contracts';
import type { ConsumedContext, EventHandler } from '@solar/chassis';

/**
 * One consumer group reads several topics; each handler picks its own event type and ignores the
 * rest (identity.user.v1 carries many types notification does not act on).
 */
export function routeEvents(...handlers: EventHandler[]): EventHandler {
  return async (event: AnyCloudEvent, context: ConsumedContext) => {
    for (const handler of handlers) await handler(event, context);
  };
}
