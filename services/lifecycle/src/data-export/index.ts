import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Feature } from '@solar/chassis';
import { collectLifecyclePart } from './collect-lifecycle-part.use-case';

/** Lifecycle's answer to DataExportRequested: its part, sent to identity. */
export function dataExportFeature(deps: Parameters<typeof collectLifecyclePart>[0]): Feature {
  const collect = collectLifecyclePart(deps);
  return {
    handlers: [
      async (event: AnyCloudEvent) => {
        if (isEvent(event, 'DataExportRequested')) await collect(event.data);
      },
    ],
  };
}
