import type { EventData } from '@solar/contracts';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per request, so a resend after a crash can be recognised by the receiving side. */
  messageId: string;
}

export type ProviderName = EventData<'EmailSent'>['provider'];

export interface SendResult {
  provider: ProviderName;
  providerMessageId: string;
}

/** A failure that will fail again (a rejected address, bad credentials): no retry. */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

export interface EmailProvider {
  readonly name: ProviderName;
  send(email: OutgoingEmail): Promise<SendResult>;
  verify(): Promise<void>;
  close(): void;
}
