import type { Connection, Model } from 'mongoose';
import type { Sealer } from '@solar/chassis';
import { EndpointSubscriptions, type Subscribers } from './endpoint-subscriptions';
import { webhookEndpointModel, type WebhookEndpointDocument } from './webhook-endpoint.model';

export type WebhookEndpointRecord = Omit<WebhookEndpointDocument, 'secrets'>;

/** Secrets are bound to their endpoint: one copied onto another endpoint does not open. */
const secretContext = (id: string) => `notification.webhook_endpoints/${id}/secret`;

const PUBLIC_FIELDS = { secrets: 0 } as const;

/** How long a replica may answer who subscribes from what it read before (WEBHOOK_SUBSCRIPTIONS_TTL). */
export interface SubscriptionsCache {
  ttlMs: number;
  clock: () => Date;
}

export class WebhookEndpointRepository {
  private readonly subscriptions: EndpointSubscriptions;

  constructor(
    private readonly endpoints: Model<WebhookEndpointDocument>,
    private readonly sealer: Sealer,
    cache: SubscriptionsCache,
  ) {
    const load = () => this.endpoints.find({}, { _id: 1, enabled: 1, eventTypes: 1 }).lean();
    this.subscriptions = new EndpointSubscriptions(load, cache.ttlMs, () => cache.clock().getTime());
  }

  static async open(db: Connection, sealer: Sealer, cache: SubscriptionsCache): Promise<WebhookEndpointRepository> {
    const endpoints = webhookEndpointModel(db);
    await endpoints.init();
    return new WebhookEndpointRepository(endpoints, sealer, cache);
  }

  async create(endpoint: WebhookEndpointRecord, secret: string): Promise<void> {
    const secrets = [{ sealed: this.sealer.seal(secret, secretContext(endpoint._id)), expiresAt: null }];
    await this.changingSubscriptions(() => this.endpoints.create({ ...endpoint, secrets }));
  }

  async list(): Promise<WebhookEndpointRecord[]> {
    return this.endpoints.find({}, PUBLIC_FIELDS).sort({ createdAt: -1 }).lean();
  }

  async find(id: string): Promise<WebhookEndpointRecord | null> {
    return this.endpoints.findById(id, PUBLIC_FIELDS).lean();
  }

  async enabled(): Promise<WebhookEndpointRecord[]> {
    return this.endpoints.find({ enabled: true }, PUBLIC_FIELDS).lean();
  }

  /**
   * The endpoints that want this type: the enabled ones get it now, a disabled one may replay it
   * later. From the cache: as of at most WEBHOOK_SUBSCRIPTIONS_TTL ago, or this replica's last write.
   */
  async subscribedTo(eventType: string): Promise<Subscribers> {
    return this.subscriptions.of(eventType);
  }

  async update(id: string, fields: Partial<WebhookEndpointRecord>): Promise<WebhookEndpointRecord | null> {
    return this.changingSubscriptions(() =>
      this.endpoints.findOneAndUpdate({ _id: id }, { $set: fields }, { new: true, projection: PUBLIC_FIELDS }).lean(),
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.changingSubscriptions(() => this.endpoints.deleteOne({ _id: id }))).deletedCount === 1;
  }

  /** The secrets that sign now, newest first: a rotated-out one until its overlap ends. */
  async signingSecrets(id: string, now: Date): Promise<string[]> {
    const doc = await this.endpoints.findById(id, { secrets: 1 }).lean();
    return (doc?.secrets ?? [])
      .filter((secret) => secret.expiresAt === null || secret.expiresAt > now)
      .map((secret) => this.sealer.open(secret.sealed, secretContext(id)));
  }

  /** The new secret signs from now on; the current one until `previousExpiresAt`; older ones are dropped. */
  async rotate(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<boolean> {
    const doc = await this.endpoints.findById(id, { secrets: 1 }).lean();
    const current = doc?.secrets.find((candidate) => candidate.expiresAt === null);
    if (!doc || !current) return false;
    const secrets = [
      { sealed: this.sealer.seal(secret, secretContext(id)), expiresAt: null },
      ...(previousExpiresAt > now ? [{ sealed: current.sealed, expiresAt: previousExpiresAt }] : []),
    ];
    const result = await this.endpoints.updateOne({ _id: id }, { $set: { secrets, updatedAt: now } });
    return result.matchedCount === 1;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.endpoints.updateOne({ _id: id, failingSince: { $ne: null } }, { $set: { failingSince: null } });
  }

  /** Starts the failure streak if none is running; answers when it started. */
  async recordFailure(id: string, now: Date): Promise<Date | null> {
    await this.endpoints.updateOne({ _id: id, failingSince: null }, { $set: { failingSince: now } });
    const doc = await this.endpoints.findById(id, { failingSince: 1 }).lean();
    return doc?.failingSince ?? null;
  }

  /**
   * Disables an endpoint whose streak started before `failingBefore`. Conditional on it being
   * enabled, so of several replicas failing at once exactly one wins and raises the alert.
   */
  async disableFailing(id: string, failingBefore: Date, now: Date): Promise<WebhookEndpointRecord | null> {
    return this.changingSubscriptions(() =>
      this.endpoints
        .findOneAndUpdate(
          { _id: id, enabled: true, failingSince: { $lte: failingBefore } },
          { $set: { enabled: false, disabledReason: 'failing', updatedAt: now } },
          { new: true, projection: PUBLIC_FIELDS },
        )
        .lean(),
    );
  }

  /** A write that may change who subscribes: this replica reads them again, even if the write failed halfway. */
  private async changingSubscriptions<T>(write: () => PromiseLike<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.subscriptions.invalidate();
    }
  }
}
