import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { Sealer } from '../crypto/sealer';
import { outboxEntryOf, renderedOutboxEntry, type OutboxEntry } from './outbox';
import type { OutboxRelay, OutboxRenderer } from './outbox-relay';

export interface OutboxOptions {
  /**
   * Applied to every event on its way into the outbox, in one place rather than at each site that
   * builds one, so none is missed: identity seals the links of its email requests here.
   */
  prepare?: (event: AnyCloudEvent) => AnyCloudEvent;
  /** Renderers of the entries written with `rendered` (state snapshots), by name. */
  renderers?: Record<string, OutboxRenderer>;
}

/**
 * What a repository needs to record events with its writes: `entries` turns events into sealed
 * outbox entries for the update it is about to make, `written` asks the relay to publish them now.
 */
export class OutboxWriter {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly sealer: Sealer,
    readonly clock: () => Date,
    private readonly prepare: NonNullable<OutboxOptions['prepare']> = (event) => event,
  ) {}

  entries(events: AnyCloudEvent[], now: Date = this.clock()): OutboxEntry[] {
    return events.map((event) => outboxEntryOf(this.prepare(event), this.sealer, now));
  }

  /** An entry the relay renders from the document when it publishes it (a state snapshot). */
  rendered(render: string, target: { topic: string; key: string }, now: Date = this.clock()): OutboxEntry {
    return renderedOutboxEntry(render, randomUUID(), target, now);
  }

  written(collection: mongo.Collection<mongo.Document>, id: string): void {
    this.relay.kick(collection, id);
  }

  /** After inserting a document whose outbox is `entries`: the relay publishes them without reading it back. */
  inserted(collection: mongo.Collection<mongo.Document>, id: string, entries: OutboxEntry[]): void {
    this.relay.kick(collection, id, entries);
  }

  /** Publishes one document's entries now and resolves once Kafka has them. */
  flush(collection: mongo.Collection<mongo.Document>, id: string): Promise<void> {
    return this.relay.flush(collection, id);
  }
}
