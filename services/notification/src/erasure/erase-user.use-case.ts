import { createHash } from 'node:crypto';
import type { EventData } from '@solar/contracts';
import type { DeliveryOutcome, EmailRequest } from '../delivery/deliver-email.use-case';
import type { DeliveryStatus } from '../delivery/delivery.model';

export interface ErasableDeliveries {
  statusOf(eventId: string): Promise<DeliveryStatus | null>;
  eraseRecipient(userId: string, address: string): Promise<number>;
}

export interface ErasableSuppressions {
  eraseAddress(address: string): Promise<void>;
}

export interface ErasableFormerAddresses {
  of(userId: string): Promise<string[]>;
  forget(userId: string): Promise<void>;
}

/**
 * The delivery id of the farewell email, derived from the UserDeleted event id: a redelivered or
 * replayed UserDeleted finds the same record and sends nothing more. Hex, so it fits a Message-ID.
 */
export function accountDeletedRequestId(userDeletedEventId: string): string {
  return createHash('sha256').update(`account-deleted\n${userDeletedEventId}`).digest('hex').slice(0, 32);
}

/**
 * On UserDeleted: first the account-deleted email through the normal delivery path (so the
 * suppression list and the one-email-per-request guarantee apply), then erasure of everything this
 * service holds about the person. The order matters both ways: the email needs the address and the
 * suppression entry, and erasing first would let a redelivered event send again.
 *
 * Delivery records are anonymised rather than deleted: they are the idempotency keys of their
 * requests, so a replayed request must still find one. The farewell email's record is anonymised too,
 * but only once it is no longer being sent; while another worker holds it, this throws and the
 * consumer retries.
 *
 * The addresses the account had before (EmailChanged) are erased like the current one; their list
 * goes last, so a crash part-way leaves it for the redelivered event to finish.
 */
export function eraseUser(deps: {
  deliver: (request: EmailRequest) => Promise<DeliveryOutcome>;
  deliveries: ErasableDeliveries;
  suppressions: ErasableSuppressions;
  formerAddresses: ErasableFormerAddresses;
}) {
  return async (input: {
    eventId: string;
    data: EventData<'UserDeleted'>;
    heartbeat?: () => Promise<void>;
  }): Promise<{ email: DeliveryOutcome; erasedDeliveries: number }> => {
    const requestId = accountDeletedRequestId(input.eventId);
    const email = await deps.deliver({
      eventId: requestId,
      data: {
        template: 'account-deleted',
        to: input.data.email,
        // Absent from a UserDeleted older than the field: English, as before.
        locale: input.data.locale ?? 'en',
        variables: { reason: input.data.reason ?? 'requested' },
        sealedVariables: {},
        userId: input.data.userId,
      },
      ...(input.heartbeat ? { heartbeat: input.heartbeat } : {}),
    });
    if (email === 'already_handled' && (await deps.deliveries.statusOf(requestId)) === 'sending') {
      throw new Error('the account-deleted email is still being sent elsewhere; erasure waits for it');
    }
    let erasedDeliveries = 0;
    for (const address of [input.data.email, ...(await deps.formerAddresses.of(input.data.userId))]) {
      erasedDeliveries += await deps.deliveries.eraseRecipient(input.data.userId, address);
      await deps.suppressions.eraseAddress(address);
    }
    await deps.formerAddresses.forget(input.data.userId);
    return { email, erasedDeliveries };
  };
}
