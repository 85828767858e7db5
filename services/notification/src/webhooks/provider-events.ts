import { z } from 'zod';
import type { MailEvent } from '../suppression/mail-event';

/*
 * Each provider's bounce and complaint reports, reduced to MailEvents. Called only on verified
 * payloads; events we do not act on (delivered, opened, clicked...) are skipped, not refused, because
 * a provider sends whatever its console was set to send.
 */

const SendgridEvent = z.object({
  email: z.string().min(3),
  event: z.string(),
  timestamp: z.number(),
  sg_event_id: z.string().optional(),
  type: z.string().optional(),
  reason: z.string().optional(),
});

export function sendgridMailEvents(payload: unknown[]): MailEvent[] {
  return payload.flatMap((item): MailEvent[] => {
    const parsed = SendgridEvent.safeParse(item);
    if (!parsed.success) return [];
    const e = parsed.data;
    const base = {
      provider: 'sendgrid' as const,
      address: e.email,
      eventKey: e.sg_event_id ?? `${e.event}:${e.timestamp}`,
      at: new Date(e.timestamp * 1000),
    };
    switch (e.event) {
      case 'bounce':
        // SendGrid reports blocks as bounces of type "blocked": a refusal by the receiving server, not a dead mailbox.
        return e.type === 'blocked'
          ? [{ ...base, kind: 'soft_bounce', suppress: null }]
          : [{ ...base, kind: 'hard_bounce', suppress: 'hard_bounce' }];
      case 'blocked':
      case 'deferred':
        return [{ ...base, kind: 'soft_bounce', suppress: null }];
      case 'spamreport':
        return [{ ...base, kind: 'complaint', suppress: 'complaint' }];
      case 'dropped':
        // Dropped because SendGrid's own list knows the address as bounced or complaining: keep that knowledge.
        return [{ ...base, kind: 'dropped', suppress: droppedSuppression(e.reason) }];
      default:
        return [];
    }
  });
}

function droppedSuppression(reason: string | undefined): MailEvent['suppress'] {
  if (!reason) return null;
  if (/bounced address/i.test(reason)) return 'hard_bounce';
  if (/spam reporting address/i.test(reason)) return 'complaint';
  return null;
}

const Recipients = z.array(z.object({ emailAddress: z.string().min(3) }));
const SesMessage = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: Recipients, timestamp: z.string().optional() }).optional(),
  complaint: z.object({ complainedRecipients: Recipients, timestamp: z.string().optional() }).optional(),
});

/** An SES notification (identity notifications say notificationType, event publishing says eventType). */
export function sesMailEvents(message: string, messageId: string, receivedAt: Date): MailEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return [];
  }
  const parsed = SesMessage.safeParse(json);
  if (!parsed.success) return [];
  const m = parsed.data;
  const type = m.notificationType ?? m.eventType;
  const at = (timestamp: string | undefined) => {
    const date = timestamp ? new Date(timestamp) : receivedAt;
    return Number.isNaN(date.getTime()) ? receivedAt : date;
  };
  if (type === 'Bounce' && m.bounce) {
    // Transient and Undetermined bounces may succeed later; only Permanent ones mean "never again".
    const hard = m.bounce.bounceType === 'Permanent';
    return m.bounce.bouncedRecipients.map((r) => ({
      provider: 'ses',
      kind: hard ? 'hard_bounce' : 'soft_bounce',
      address: r.emailAddress,
      eventKey: messageId,
      at: at(m.bounce?.timestamp),
      suppress: hard ? 'hard_bounce' : null,
    }));
  }
  if (type === 'Complaint' && m.complaint) {
    return m.complaint.complainedRecipients.map((r) => ({
      provider: 'ses',
      kind: 'complaint',
      address: r.emailAddress,
      eventKey: messageId,
      at: at(m.complaint?.timestamp),
      suppress: 'complaint',
    }));
  }
  return [];
}

const MailgunEventData = z.object({
  event: z.string(),
  recipient: z.string().min(3),
  timestamp: z.number(),
  id: z.string().optional(),
  severity: z.string().optional(),
});

export function mailgunMailEvents(eventData: unknown): MailEvent[] {
  const parsed = MailgunEventData.safeParse(eventData);
  if (!parsed.success) return [];
  const e = parsed.data;
  const base = {
    provider: 'mailgun' as const,
    address: e.recipient,
    eventKey: e.id ?? `${e.event}:${e.timestamp}`,
    at: new Date(e.timestamp * 1000),
  };
  if (e.event === 'failed') {
    return e.severity === 'permanent'
      ? [{ ...base, kind: 'hard_bounce', suppress: 'hard_bounce' }]
      : [{ ...base, kind: 'soft_bounce', suppress: null }];
  }
  if (e.event === 'complained') return [{ ...base, kind: 'complaint', suppress: 'complaint' }];
  return [];
}
