import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Feature } from '@solar/chassis';
import { collectNotificationPart } from './collect-notification-part.use-case';

/** Notification's answer to DataExportRequested: its part, sent to identity. */
export function dataExportFeature(deps: Parameters<typeof collectNotificationPart>[0]): Feature {
  const collect = collectNotificationPart(deps);
  return {
    handlers: [
      async (event: AnyCloudEvent) => {
        if (isEvent(event, 'DataExportRequested')) await collect(event.data);
      },
    ],
    wants: (event: AnyCloudEvent) => isEvent(event, 'DataExportRequested'),
  };
}
