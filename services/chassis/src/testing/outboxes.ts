import type { Connection } from 'mongoose';
import { waitFor } from './wait-for';

/**
 * Waits until no document of the database holds an outbox entry. The relay removes an entry only once
 * Kafka has acknowledged it, so everything the service recorded before this call is on Kafka then.
 */
export function waitForEmptyOutboxes(db: Connection, timeoutMs = 20_000): Promise<true> {
  return waitFor(
    async () => {
      for (const { name } of await db.db!.listCollections().toArray()) {
        if (await db.collection(name).findOne({ 'outbox.0': { $exists: true } }, { projection: { _id: 1 } })) return undefined;
      }
      return true;
    },
    { timeoutMs, what: `the outboxes of ${db.name} to empty` },
  );
}
