import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Feature, Logger } from '@solar/chassis';
import type { DeliveryFeature } from '../delivery';
import type { DeliveryRepository } from '../delivery/delivery.repository';
import { userDeletedHandler } from '../events/user-deleted.consumer';
import type { SuppressionRepository } from '../suppression/suppression.repository';
import { emailChangedHandler } from '../events/email-changed.consumer';
import { eraseUser } from './erase-user.use-case';
import type { FormerAddressRepository } from './former-address.repository';

/** On UserDeleted: the account-deleted email, then erasure of what notification holds of the user, under every address it had. */
export function erasureFeature(deps: {
  deliver: DeliveryFeature['deliver'];
  deliveries: DeliveryRepository;
  suppressions: SuppressionRepository;
  formerAddresses: FormerAddressRepository;
  logger: Logger;
}): Feature {
  const { deliver, deliveries, suppressions, formerAddresses } = deps;
  const erase = eraseUser({ deliver, deliveries, suppressions, formerAddresses });
  return {
    handlers: [emailChangedHandler(formerAddresses), userDeletedHandler(erase, deps.logger)],
    wants: (event: AnyCloudEvent) => isEvent(event, 'EmailChanged') || isEvent(event, 'UserDeleted'),
  };
}
