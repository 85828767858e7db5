import type { mongo } from 'mongoose';
import type { Sealer } from '../crypto/sealer';
import type { OutgoingRecord, Publisher } from '../kafka/publisher';
import type { Logger } from '../logger';
import { outboxMetrics, type OutboxMetrics } from '../metrics/kafka-metrics';
import type { Metrics } from '../metrics/metrics';
import { continueTrace } from '../telemetry/trace-context';
import { fromOutboxEntry, type OutboxEntry } from './outbox';

/** Makes the record of a rendered entry from its document as it stands when the entry is published. */
export type OutboxRenderer = (doc: mongo.Document, entry: OutboxEntry) => OutgoingRecord;

export interface OutboxRelayOptions {
  /** Collections whose documents embed an `outbox` array. */
  collections: mongo.Collection<mongo.Document>[];
  publisher: Publisher;
  sealer: Sealer;
  logger: Logger;
  clock?: () => Date;
  /** How often the sweep looks for entries a crash or an outage left behind. */
  sweepIntervalMs?: number;
  /** Entries younger than this are left to the writer's own immediate flush, to avoid double sends. */
  settleMs?: number;
  /** The service's registry: publishes, failures and the backlog the sweep finds are recorded there. */
  metrics?: Metrics;
  /** Renderers of entries written with `render` (state snapshots), by name. */
  renderers?: Record<string, OutboxRenderer>;
}

/**
 * Publishes outbox entries and removes them once Kafka has acknowledged them. The writer asks for
 * an immediate flush of its document; a periodic sweep republishes whatever a crash or a Kafka outage
 * left behind. Delivery is at least once: consumers deduplicate on the event id.
 */
export class OutboxRelay {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;
  private readonly clock: () => Date;
  private readonly metrics: OutboxMetrics | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.metrics = options.metrics && outboxMetrics(options.metrics);
  }

  start(): void {
    this.timer = setInterval(() => this.sweepInBackground(), this.options.sweepIntervalMs ?? 5_000);
    this.sweepInBackground();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Publishes one document's entries now, without making the caller wait or fail on Kafka. */
  kick(collection: mongo.Collection<mongo.Document>, id: string): void {
    void this.flush(collection, id).catch((error: unknown) => {
      this.options.logger.warn({ err: error, collection: collection.collectionName }, 'outbox flush failed; the sweep will retry');
    });
  }

  flush(collection: mongo.Collection<mongo.Document>, id: string): Promise<void> {
    const key = `${collection.collectionName}:${id}`;
    const running = this.inFlight.get(key);
    if (running) return running.then(() => this.flush(collection, id));
    const work = this.publishDocument(collection, id).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  /** Publishes every entry older than the settle time; resolves when the pass is done. */
  async sweep(): Promise<void> {
    const cutoff = new Date(this.clock().getTime() - (this.options.settleMs ?? 5_000));
    for (const collection of this.options.collections) {
      const pending = collection.find({ outbox: { $elemMatch: { createdAt: { $lt: cutoff } } } }, { projection: { _id: 1 } }).limit(500);
      let backlog = 0;
      for await (const doc of pending) {
        backlog++;
        // One document that cannot be published (say, sealed with a retired key) must not hold up the rest.
        await this.flush(collection, String(doc._id)).catch((error: unknown) =>
          this.options.logger.error(
            { err: error, collection: collection.collectionName, id: doc._id },
            'outbox entry could not be published',
          ),
        );
      }
      this.metrics?.backlog.set({ collection: collection.collectionName }, backlog);
    }
  }

  private sweepInBackground(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'outbox sweep failed; will try again'))
      .finally(() => {
        this.sweeping = null;
      });
  }

  private async publishDocument(collection: mongo.Collection<mongo.Document>, id: string): Promise<void> {
    const doc = await collection.findOne(byId(id));
    const entries = (doc?.outbox ?? []) as OutboxEntry[];
    if (!doc || entries.length === 0) return;
    // Each run of entries written by one operation is published in a span of that operation's trace,
    // so the Kafka records carry it on to their consumers.
    try {
      for (const run of runsByTrace(entries)) {
        await continueTrace(
          run[0]?.traceContext,
          'outbox publish',
          {
            attributes: {
              'messaging.system': 'kafka',
              'messaging.batch.message_count': run.length,
              'outbox.collection': collection.collectionName,
              'outbox.topics': [...new Set(run.map((entry) => entry.topic))],
            },
          },
          () => this.options.publisher.send(run.map((entry) => this.recordOf(entry, doc))),
        );
      }
    } catch (error) {
      this.metrics?.failures.inc({ collection: collection.collectionName });
      throw error;
    }
    await collection.updateOne(byId(id), { $pull: { outbox: { eventId: { $in: entries.map((e) => e.eventId) } } } } as mongo.Document);
    this.metrics?.published.inc({ collection: collection.collectionName }, entries.length);
    // Ids and topics only: the values may carry what identity seals (an emailed link's token).
    this.options.logger.debug(
      {
        collection: collection.collectionName,
        id,
        eventIds: entries.map((e) => e.eventId),
        topics: [...new Set(entries.map((e) => e.topic))],
      },
      'outbox entries published',
    );
  }

  private recordOf(entry: OutboxEntry, doc: mongo.Document): OutgoingRecord {
    if (entry.render === undefined) return fromOutboxEntry(entry, this.options.sealer);
    const render = this.options.renderers?.[entry.render];
    if (!render) throw new Error(`no outbox renderer named ${entry.render}`);
    return render(doc, entry);
  }
}

/** Consecutive entries with the same trace context, in order (a document's events keep their order). */
function runsByTrace(entries: OutboxEntry[]): OutboxEntry[][] {
  const runs: OutboxEntry[][] = [];
  for (const entry of entries) {
    const last = runs.at(-1);
    if (last && last[0]?.traceContext?.traceparent === entry.traceContext?.traceparent) last.push(entry);
    else runs.push([entry]);
  }
  return runs;
}

// The driver types `_id` as ObjectId by default; documents that carry an outbox use string ids.
const byId = (id: string) => ({ _id: id }) as unknown as mongo.Filter<mongo.Document>;
