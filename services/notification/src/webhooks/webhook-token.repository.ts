import type { Connection, Model } from 'mongoose';
import { webhookTokenModel, type WebhookTokenDocument } from './webhook-token.model';

const DUPLICATE_KEY = 11_000;

export interface WebhookTokenStore {
  /** False when the token was seen before. */
  remember(token: string, expiresAt: Date, now: Date): Promise<boolean>;
  forget(token: string): Promise<void>;
}

export class WebhookTokenRepository implements WebhookTokenStore {
  constructor(private readonly tokens: Model<WebhookTokenDocument>) {}

  static async open(db: Connection): Promise<WebhookTokenRepository> {
    const tokens = webhookTokenModel(db);
    await tokens.init();
    return new WebhookTokenRepository(tokens);
  }

  async remember(token: string, expiresAt: Date, now: Date): Promise<boolean> {
    // Tokens past the timestamp window are refused as stale anyway, so they need not be kept
    // (no TTL index: the Mongo-wire test server never expires anything).
    await this.tokens.deleteMany({ expiresAt: { $lt: now } });
    try {
      await this.tokens.create({ _id: token, expiresAt });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async forget(token: string): Promise<void> {
    await this.tokens.deleteOne({ _id: token });
  }
}
