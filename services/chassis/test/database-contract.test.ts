/**
 * The database contract: what the services' code relies on from the Mongo-wire server, and nothing
 * more. It must hold on mongo-java-server (local and CI) and on real MongoDB 7 (compose, Kubernetes),
 * so point MONGO_URL at either and this file should pass unchanged.
 *
 * Deliberately NOT relied upon, because mongo-java-server lacks them or only pretends to have them:
 * multi-document transactions and sessions, change streams, TTL indexes (expiry is checked in
 * queries), and partial indexes (accepted but ignored: uniqueness uses sparse unique indexes).
 * Single-use and uniqueness rest on unique indexes and conditional single-document updates; an
 * event's outbox entry lives in the same document as the state change it announces.
 */
import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { createEvent } from '@solar/contracts';
import { connectMongo, createSealer, outboxEntryOf, outboxEntrySchema, parseKeyRing, type OutboxEntry } from '@solar/chassis';
import { mongoUrlFor, testInfra, testKeyRing, uniqueName } from '@solar/chassis/testing';

const DUPLICATE_KEY = 11_000;
const RACERS = 20;

let db: Connection;
const sealer = createSealer(parseKeyRing(testKeyRing()));

beforeAll(async () => {
  db = await connectMongo(mongoUrlFor(testInfra(), uniqueName('chassis-db-contract')));
});

afterAll(async () => {
  await db?.dropDatabase();
  await db?.close();
});

/** Runs `count` copies of `task` at once and splits what they resolved from what they rejected. */
async function race<T>(count: number, task: (index: number) => Promise<T>) {
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => task(i)));
  return {
    values: settled.filter((s): s is PromiseFulfilledResult<Awaited<T>> => s.status === 'fulfilled').map((s) => s.value),
    errors: settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as { code?: unknown }),
  };
}

const codeOf = (error: unknown) => (error as { code?: unknown }).code;
const hex = () => randomBytes(16).toString('hex');

function entry(now: Date): OutboxEntry {
  const event = createEvent('MaintenanceDue', { source: '/chassis-test', subject: 'maintenance', data: { task: 'purge-expired-tokens' } });
  return outboxEntryOf(event, sealer, now);
}

describe('unique index', () => {
  interface Account {
    _id: string;
    email: string;
  }
  let accounts: Model<Account>;

  beforeAll(async () => {
    const schema = new Schema<Account>(
      { _id: { type: String, required: true }, email: { type: String, required: true } },
      { versionKey: false },
    );
    schema.index({ email: 1 }, { unique: true });
    accounts = db.model<Account>('UniqueAccount', schema, 'unique_accounts');
    await accounts.init();
  });

  it('rejects a second document with the same key with code 11000', async () => {
    const email = `${hex()}@example.test`;
    await accounts.create({ _id: hex(), email });
    const duplicate = await accounts.create({ _id: hex(), email }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(duplicate).not.toBeNull();
    expect(codeOf(duplicate)).toBe(DUPLICATE_KEY);
    expect(await accounts.countDocuments({ email })).toBe(1);
  });

  it(`lets exactly one of ${RACERS} concurrent inserts of the same key succeed; the others fail with 11000`, async () => {
    const email = `${hex()}@example.test`;
    const { values, errors } = await race(RACERS, () => accounts.create({ _id: hex(), email }));
    expect(values).toHaveLength(1);
    expect(errors).toHaveLength(RACERS - 1);
    expect(errors.map(codeOf)).toEqual(Array(RACERS - 1).fill(DUPLICATE_KEY));
    expect(await accounts.countDocuments({ email })).toBe(1);
  });
});

describe('sparse unique index', () => {
  // The shape identity uses for a pending verification: null once consumed, indexed on the hash.
  interface Pending {
    _id: string;
    group: string;
    verification: { tokenHash: string; expiresAt: Date } | null;
  }
  let pendings: Model<Pending>;

  beforeAll(async () => {
    const schema = new Schema<Pending>(
      {
        _id: { type: String, required: true },
        group: { type: String, required: true },
        verification: {
          type: new Schema({ tokenHash: { type: String, required: true }, expiresAt: { type: Date, required: true } }, { _id: false }),
          default: null,
        },
      },
      { versionKey: false },
    );
    schema.index({ 'verification.tokenHash': 1 }, { unique: true, sparse: true });
    pendings = db.model<Pending>('SparsePending', schema, 'sparse_pendings');
    await pendings.init();
  });

  it('accepts several documents without the key (null parent or absent field)', async () => {
    const group = hex();
    await pendings.create({ _id: hex(), group, verification: null });
    await pendings.create({ _id: hex(), group, verification: null });
    await pendings.collection.insertOne({ _id: hex(), group } as never);
    await pendings.collection.insertOne({ _id: hex(), group } as never);
    expect(await pendings.countDocuments({ group })).toBe(4);
  });

  it('still rejects a duplicate value with code 11000', async () => {
    const group = hex();
    const tokenHash = hex();
    const expiresAt = new Date(Date.now() + 60_000);
    await pendings.create({ _id: hex(), group, verification: { tokenHash, expiresAt } });
    const duplicate = await pendings.create({ _id: hex(), group, verification: { tokenHash, expiresAt } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(codeOf(duplicate)).toBe(DUPLICATE_KEY);
    expect(await pendings.countDocuments({ 'verification.tokenHash': tokenHash })).toBe(1);
  });
});

describe('conditional single-document updates', () => {
  interface Job {
    _id: string;
    status: 'pending' | 'done';
    verification: { tokenHash: string; expiresAt: Date } | null;
    verifiedAt: Date | null;
  }
  let jobs: Model<Job>;

  beforeAll(async () => {
    const schema = new Schema<Job>(
      {
        _id: { type: String, required: true },
        status: { type: String, enum: ['pending', 'done'], required: true },
        verification: {
          type: new Schema({ tokenHash: { type: String, required: true }, expiresAt: { type: Date, required: true } }, { _id: false }),
          default: null,
        },
        verifiedAt: { type: Date, default: null },
      },
      { versionKey: false },
    );
    jobs = db.model<Job>('ConditionalJob', schema, 'conditional_jobs');
    await jobs.init();
  });

  it(`findOneAndUpdate on {_id, status: 'pending'} has exactly one winner of ${RACERS} and leaves the document done`, async () => {
    const _id = hex();
    await jobs.create({ _id, status: 'pending' });
    const { values, errors } = await race(RACERS, () =>
      jobs.findOneAndUpdate({ _id, status: 'pending' }, { $set: { status: 'done' } }, { new: true }).lean(),
    );
    expect(errors).toEqual([]);
    const winners = values.filter((doc) => doc !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ _id, status: 'done' });
    expect(await jobs.findById(_id).lean()).toMatchObject({ status: 'done' });
  });

  it(`updateOne on token hash + unexpired modifies exactly once among ${RACERS} racers`, async () => {
    const _id = hex();
    const tokenHash = hex();
    const now = new Date();
    await jobs.create({ _id, status: 'pending', verification: { tokenHash, expiresAt: new Date(now.getTime() + 60_000) } });
    const { values, errors } = await race(RACERS, () =>
      jobs.updateOne(
        { 'verification.tokenHash': tokenHash, 'verification.expiresAt': { $gt: now } },
        { $set: { verification: null, verifiedAt: now } },
      ),
    );
    expect(errors).toEqual([]);
    expect(values.filter((result) => result.modifiedCount === 1)).toHaveLength(1);
    expect(values.filter((result) => result.modifiedCount === 0)).toHaveLength(RACERS - 1);
    const after = await jobs.findById(_id).lean();
    expect(after?.verification).toBeNull();
    expect(after?.verifiedAt?.getTime()).toBe(now.getTime());
  });

  it('updateOne with an expiry condition matches nothing once the token has expired', async () => {
    const _id = hex();
    const tokenHash = hex();
    const now = new Date();
    await jobs.create({ _id, status: 'pending', verification: { tokenHash, expiresAt: new Date(now.getTime() - 1) } });
    const result = await jobs.updateOne(
      { 'verification.tokenHash': tokenHash, 'verification.expiresAt': { $gt: now } },
      { $set: { verification: null, verifiedAt: now } },
    );
    expect(result.matchedCount).toBe(0);
    expect(result.modifiedCount).toBe(0);
    expect((await jobs.findById(_id).lean())?.verification?.tokenHash).toBe(tokenHash);
  });
});

describe('embedded outbox (the real outboxEntrySchema)', () => {
  interface Aggregate {
    _id: string;
    kind: string;
    outbox: OutboxEntry[];
  }
  let aggregates: Model<Aggregate>;

  beforeAll(async () => {
    const schema = new Schema<Aggregate>(
      {
        _id: { type: String, required: true },
        kind: { type: String, required: true },
        outbox: { type: [outboxEntrySchema], default: [] },
      },
      { versionKey: false },
    );
    schema.index({ 'outbox.createdAt': 1 });
    aggregates = db.model<Aggregate>('OutboxAggregate', schema, 'outbox_aggregates');
    await aggregates.init();
  });

  it('loses none of 50 concurrent $push, and $pull by eventId $in removes exactly those entries', async () => {
    const _id = hex();
    await aggregates.create({ _id, kind: 'push' });
    const pushed = Array.from({ length: 50 }, () => entry(new Date()));
    const { errors } = await race(pushed.length, (i) => aggregates.updateOne({ _id }, { $push: { outbox: pushed[i]! } }));
    expect(errors).toEqual([]);

    const stored = (await aggregates.findById(_id).lean())!.outbox;
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(pushed.map((e) => e.eventId)));
    // Each entry survives the round trip intact, including its Mixed headers.
    const first = stored.find((e) => e.eventId === pushed[0]!.eventId)!;
    expect(first).toEqual(pushed[0]);

    const removed = pushed.slice(0, 20).map((e) => e.eventId);
    const pull = await aggregates.collection.updateOne({ _id } as never, { $pull: { outbox: { eventId: { $in: removed } } } } as never);
    expect(pull.modifiedCount).toBe(1);
    const left = (await aggregates.findById(_id).lean())!.outbox.map((e) => e.eventId);
    expect(left).toHaveLength(30);
    expect(new Set(left)).toEqual(new Set(pushed.slice(20).map((e) => e.eventId)));
  });

  it('$elemMatch on outbox.createdAt < cutoff finds exactly the documents holding an old entry', async () => {
    const kind = `elem-${hex()}`;
    const cutoff = new Date('2030-01-01T00:00:05Z');
    const old = new Date('2030-01-01T00:00:00Z');
    const young = new Date('2030-01-01T00:00:09Z');
    await aggregates.create([
      { _id: `${kind}-old`, kind, outbox: [entry(old)] },
      { _id: `${kind}-young`, kind, outbox: [entry(young), entry(young)] },
      { _id: `${kind}-empty`, kind, outbox: [] },
      { _id: `${kind}-mixed`, kind, outbox: [entry(young), entry(old)] },
      { _id: `${kind}-at-cutoff`, kind, outbox: [entry(cutoff)] },
    ]);
    // The same query and projection the outbox relay's sweep runs, through the driver.
    const found = await aggregates.collection
      .find({ kind, outbox: { $elemMatch: { createdAt: { $lt: cutoff } } } }, { projection: { _id: 1 } })
      .toArray();
    expect(found.map((doc) => String(doc._id)).sort()).toEqual([`${kind}-mixed`, `${kind}-old`]);
  });
});

describe('processed-event ids ($setOnInsert upsert)', () => {
  interface Processed {
    _id: string;
    processedAt: Date;
  }

  it('inserts on the first upsert and only matches afterwards, keeping the first processedAt', async () => {
    const processed = db.collection<Processed>('processed_events');
    const _id = `group:${hex()}`;
    const first = new Date('2030-01-01T00:00:00Z');
    const inserted = await processed.updateOne({ _id }, { $setOnInsert: { processedAt: first } }, { upsert: true });
    expect(inserted.upsertedCount).toBe(1);
    expect(inserted.matchedCount).toBe(0);

    const again = await processed.updateOne({ _id }, { $setOnInsert: { processedAt: new Date('2031-01-01T00:00:00Z') } }, { upsert: true });
    expect(again.upsertedCount).toBe(0);
    expect(again.matchedCount).toBe(1);
    expect(again.modifiedCount).toBe(0);

    expect(await processed.countDocuments({ _id })).toBe(1);
    expect((await processed.findOne({ _id }))?.processedAt.getTime()).toBe(first.getTime());
  });
});
