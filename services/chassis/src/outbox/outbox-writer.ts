import type { mongo } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { Sealer } from '../crypto/sealer';
import { outboxEntryOf, type OutboxEntry } from './outbox';
import type { OutboxRelay } from './outbox-relay';

/**
 * What a repository needs to record events with its writes: `entries` turns events into sealed
 * outbox entries for the update it is about to make, `written` asks the relay to publish them now.
 */
export class OutboxWriter {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly sealer: Sealer,
    readonly clock: () => Date,
  ) {}

  entries(events: AnyCloudEvent[], now: Date = this.clock()): OutboxEntry[] {
    return events.map((event) => outboxEntryOf(event, this.sealer, now));
  }

  written(collection: mongo.Collection<mongo.Document>, id: string): void {
    this.relay.kick(collection, id);
  }

  /** Publishes one document's entries now and resolves once Kafka has them. */
  flush(collection: mongo.Collection<mongo.Document>, id: string): Promise<void> {
    return this.relay.flush(collection, id);
  }
}
