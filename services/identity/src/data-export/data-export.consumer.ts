import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Logger } from '@solar/chassis';
import type { collectIdentityPart } from './collect-identity-part.use-case';
import type { receivePart } from './receive-part.use-case';

/** Thin: identity answers its own DataExportRequested like any participant, and collects every part. */
export function dataExportHandler(
  deps: { collect: ReturnType<typeof collectIdentityPart>; receive: ReturnType<typeof receivePart> },
  logger: Logger,
) {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (isEvent(event, 'DataExportRequested')) {
      await deps.collect(event.data);
    } else if (isEvent(event, 'DataExportPartReady')) {
      const outcome = await deps.receive(event.data);
      // Ids and the service only: the part is the person's data.
      logger.info({ eventId: event.id, exportId: event.data.exportId, service: event.data.service, outcome }, 'data export part');
    }
  };
}
