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

/** One document waiting to be published, and whoever waits for it. */
interface PendingFlush {
  collection: mongo.Collection<mongo.Document>;
  id: string;
  /** The document's whole outbox when the writer knows it (it just inserted the document): nothing to read back. */
  entries: OutboxEntry[] | undefined;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** A document's entries with their records, ready to send. */
interface Ready {
  pending: PendingFlush;
  entries: OutboxEntry[];
  records: OutgoingRecord[];
}

/**
 * Publishes outbox entries and removes them once Kafka has acknowledged them. The writer asks for
 * an immediate flush of its document; a periodic sweep republishes whatever a crash or a Kafka outage
 * left behind. Delivery is at least once: consumers deduplicate on the event id.
 *
 * Flushes are published in batches: whatever was asked for while the previous batch was on its way
 * goes out together, read in one find per collection, sent in one request per trace, and removed in
 * one write per collection. Under load that is a fraction of a round trip per document instead of
 * three; one batch runs at a time, so a document's entries still go out in the order written.
 */
export class OutboxRelay {
  private readonly queue = new Map<string, PendingFlush>();
  private draining: Promise<void> | null = null;
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
    await this.draining;
  }

  /**
   * Publishes one document's entries now, without making the caller wait or fail on Kafka. `entries`
   * is the document's whole outbox, for a document the caller has just inserted: it is not read back.
   */
  kick(collection: mongo.Collection<mongo.Document>, id: string, entries?: OutboxEntry[]): void {
    void this.flush(collection, id, entries).catch((error: unknown) => {
      this.options.logger.warn({ err: error, collection: collection.collectionName }, 'outbox flush failed; the sweep will retry');
    });
  }

  /** Publishes one document's entries (see `kick`) and resolves once Kafka has them and they are removed. */
  flush(collection: mongo.Collection<mongo.Document>, id: string, entries?: OutboxEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const key = `${collection.collectionName}:${id}`;
      const queued = this.queue.get(key);
      if (!queued) this.queue.set(key, { collection, id, entries: entries && [...entries], waiters: [{ resolve, reject }] });
      else {
        // Asked twice before its batch: one read of the document covers both, whatever each knew.
        queued.entries = entries && queued.entries && [...queued.entries, ...entries];
        queued.waiters.push({ resolve, reject });
      }
      this.drain();
    });
  }

  /** Publishes every entry older than the settle time; resolves when the pass is done. */
  async sweep(): Promise<void> {
    const cutoff = new Date(this.clock().getTime() - (this.options.settleMs ?? 5_000));
    for (const collection of this.options.collections) {
      const pending = await collection
        .find({ outbox: { $elemMatch: { createdAt: { $lt: cutoff } } } }, { projection: { _id: 1 } })
        .limit(500)
        .toArray();
      const flushes = pending.map(async (doc) =>
        // One document that cannot be published (say, sealed with a retired key) must not hold up the rest.
        this.flush(collection, String(doc._id)).catch((error: unknown) =>
          this.options.logger.error(
            { err: error, collection: collection.collectionName, id: doc._id },
            'outbox entry could not be published',
          ),
        ),
      );
      await Promise.all(flushes);
      this.metrics?.backlog.set({ collection: collection.collectionName }, pending.length);
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

  private drain(): void {
    this.draining ??= (async () => {
      // Flushes asked for in the same turn of the event loop (sign-ins answered together) share a batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.size > 0) {
        const batch = [...this.queue.values()];
        this.queue.clear();
        await this.publishBatch(batch).catch((error: unknown) => settle(batch, error));
      }
    })().finally(() => {
      this.draining = null;
    });
  }

  private async publishBatch(batch: PendingFlush[]): Promise<void> {
    const ready: Ready[] = [];
    for (const [collection, flushes] of byCollection(batch)) {
      const outboxes = await this.outboxesOf(collection, flushes);
      for (const pending of flushes) {
        const outbox = outboxes.get(pending.id);
        if (!outbox || outbox.entries.length === 0) settle([pending]);
        else {
          try {
            ready.push({ pending, entries: outbox.entries, records: outbox.entries.map((entry) => this.recordOf(entry, outbox.doc)) });
          } catch (error) {
            settle([pending], error);
          }
        }
      }
    }
    if (ready.length === 0) return;
    try {
      await this.sendAndRemove(ready);
    } catch (error) {
      if (ready.length === 1) throw this.failed(ready, error);
      // One document Kafka refuses (a record too large, say) must not hold up the others: each goes alone.
      for (const one of ready) {
        await this.sendAndRemove([one]).catch((failure: unknown) => settle([one.pending], this.failed([one], failure)));
      }
    }
  }

  private async sendAndRemove(ready: Ready[]): Promise<void> {
    await this.send(ready);
    for (const [collection, sent] of byCollection(ready.map(({ pending }) => pending))) {
      await this.removePublished(
        collection,
        sent.map(({ id }) => id),
        ready.filter(({ pending }) => sent.includes(pending)).flatMap(({ entries }) => entries),
      );
    }
    settle(ready.map(({ pending }) => pending));
  }

  /** Counts a publication that failed for good, and hands its error back. */
  private failed(ready: Ready[], error: unknown): unknown {
    for (const { pending } of ready) this.metrics?.failures.inc({ collection: pending.collection.collectionName });
    return error;
  }

  /** Each document's outbox: as its writer gave it, or read, in one find for all those that need it. */
  private async outboxesOf(
    collection: mongo.Collection<mongo.Document>,
    flushes: PendingFlush[],
  ): Promise<Map<string, { doc: mongo.Document; entries: OutboxEntry[] }>> {
    const outboxes = new Map<string, { doc: mongo.Document; entries: OutboxEntry[] }>();
    const toRead: string[] = [];
    for (const { id, entries } of flushes) {
      // A rendered entry is made from the document as it stands: that one is read.
      if (entries && entries.every((entry) => entry.render === undefined)) outboxes.set(id, { doc: { _id: id }, entries });
      else toRead.push(id);
    }
    if (toRead.length > 0) {
      const docs = await collection.find(byIds(toRead)).toArray();
      for (const doc of docs) outboxes.set(String(doc._id), { doc, entries: (doc.outbox ?? []) as OutboxEntry[] });
    }
    return outboxes;
  }

  /**
   * Each run of entries written by one operation is published in a span of that operation's trace, so
   * the Kafka records carry it on to their consumers; entries written untraced go out in one request.
   */
  private async send(ready: Ready[]): Promise<void> {
    const pairs = ready.flatMap(({ pending, entries, records }) =>
      entries.map((entry, i) => ({ collection: pending.collection.collectionName, entry, record: records[i]! })),
    );
    for (const run of runsByTrace(pairs)) {
      await continueTrace(
        run[0]?.entry.traceContext,
        'outbox publish',
        {
          attributes: {
            'messaging.system': 'kafka',
            'messaging.batch.message_count': run.length,
            'outbox.collections': [...new Set(run.map(({ collection }) => collection))],
            'outbox.topics': [...new Set(run.map(({ entry }) => entry.topic))],
          },
        },
        () => this.options.publisher.send(run.map(({ record }) => record)),
      );
    }
  }

  /** One write for every document of the batch in this collection: only the entries sent leave. */
  private async removePublished(collection: mongo.Collection<mongo.Document>, ids: string[], entries: OutboxEntry[]): Promise<void> {
    const eventIds = entries.map((entry) => entry.eventId);
    await collection.updateMany(byIds(ids), { $pull: { outbox: { eventId: { $in: eventIds } } } } as mongo.Document);
    this.metrics?.published.inc({ collection: collection.collectionName }, entries.length);
    // Ids and topics only: the values may carry what identity seals (an emailed link's token).
    this.options.logger.debug(
      { collection: collection.collectionName, ids, eventIds, topics: [...new Set(entries.map((e) => e.topic))] },
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

/** Resolves (or rejects) everyone waiting on these flushes. */
function settle(flushes: PendingFlush[], error?: unknown): void {
  for (const { waiters } of flushes) {
    for (const waiter of waiters.splice(0)) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

function byCollection(flushes: PendingFlush[]): Map<mongo.Collection<mongo.Document>, PendingFlush[]> {
  const groups = new Map<mongo.Collection<mongo.Document>, PendingFlush[]>();
  for (const pending of flushes) groups.set(pending.collection, [...(groups.get(pending.collection) ?? []), pending]);
  return groups;
}

/** Consecutive entries with the same trace context, in order (a document's events keep their order). */
function runsByTrace<T extends { entry: OutboxEntry }>(items: T[]): T[][] {
  const runs: T[][] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last && last[0]?.entry.traceContext?.traceparent === item.entry.traceContext?.traceparent) last.push(item);
    else runs.push([item]);
  }
  return runs;
}

// The driver types `_id` as ObjectId by default; documents that carry an outbox use string ids.
const byIds = (ids: string[]) => ({ _id: { $in: ids } }) as unknown as mongo.Filter<mongo.Document>;
