import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { FormerAddressRepository } from '../erasure/former-address.repository';

/** Thin: EmailChanged from identity's user topic records the address left, for the erasure to reach it. */
export function emailChangedHandler(formerAddresses: Pick<FormerAddressRepository, 'record'>) {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (!isEvent(event, 'EmailChanged')) return;
    await formerAddresses.record(event.data.userId, event.data.previousEmail);
  };
}
