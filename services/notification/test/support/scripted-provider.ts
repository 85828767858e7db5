import type { EmailProvider, OutgoingEmail } from '../../src/providers/email-provider';

/** Answers each send with the next scripted outcome: an error to throw, or success. */
export function scriptedProvider(script: (Error | 'ok')[]): EmailProvider & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    name: 'sendgrid',
    sent,
    async send(email) {
      sent.push(email);
      const next = script.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      return { provider: 'sendgrid', providerMessageId: `sg-${sent.length}` };
    },
    async verify() {},
    close() {},
  };
}
