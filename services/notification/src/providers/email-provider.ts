import type { EventData } from '@solar/contracts';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per request (`<eventId@MESSAGE_ID_DOMAIN>`), so a resend after a crash can be recognised. */
  messageId: string;
}

export type ProviderName = EventData<'EmailSent'>['provider'];

export interface SendResult {
  provider: ProviderName;
  providerMessageId: string;
}

/**
 * One way out for email. `send` resolves with the provider's message id or rejects with a
 * `SendFailure` that says whether retrying can help; every call is bounded by the provider's timeout.
 */
export interface EmailProvider {
  readonly name: ProviderName;
  send(email: OutgoingEmail): Promise<SendResult>;
  /** The provider's cheapest authenticated call: rejects when it cannot be reached or refuses our credentials. */
  verify(): Promise<void>;
  close(): void;
}
