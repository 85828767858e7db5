import { createEvent, type CloudEvent } from '../cloudevents';
import { DATA_EXPORT_CHUNK_CHARS } from '../identity/data-export-part-ready.v1';

/**
 * A participant's answer to DataExportRequested: its data as JSON text, cut into pieces that each fit
 * a Kafka message (the broker refuses messages over about 1 MB by default). Identity joins them in order.
 */
export function dataExportPartEvents(input: {
  exportId: string;
  service: string;
  data: object;
  time: Date;
}): CloudEvent<'DataExportPartReady'>[] {
  const text = JSON.stringify(input.data);
  const chunks = Math.max(1, Math.ceil(text.length / DATA_EXPORT_CHUNK_CHARS));
  return Array.from({ length: chunks }, (_, chunk) =>
    createEvent('DataExportPartReady', {
      // A deterministic id: a participant that answers twice (a redelivered request) sends the same events.
      id: `${input.exportId}:${input.service}:${chunk}`,
      source: `/${input.service}`,
      subject: input.exportId,
      time: input.time,
      data: {
        exportId: input.exportId,
        service: input.service,
        chunk,
        chunks,
        part: text.slice(chunk * DATA_EXPORT_CHUNK_CHARS, (chunk + 1) * DATA_EXPORT_CHUNK_CHARS),
      },
    }),
  );
}
