import type { Feature, Logger } from '@solar/chassis';
import type { DeliveryFeature } from '../delivery';
import type { DeliveryRepository } from '../delivery/delivery.repository';
import { userDeletedHandler } from '../events/user-deleted.consumer';
import type { SuppressionRepository } from '../suppression/suppression.repository';
import { eraseUser } from './erase-user.use-case';

/** On UserDeleted: the account-deleted email, then erasure of what notification holds of the user. */
export function erasureFeature(deps: {
  deliver: DeliveryFeature['deliver'];
  deliveries: DeliveryRepository;
  suppressions: SuppressionRepository;
  logger: Logger;
}): Feature {
  const erase = eraseUser({ deliver: deps.deliver, deliveries: deps.deliveries, suppressions: deps.suppressions });
  return { handlers: [userDeletedHandler(erase, deps.logger)] };
}
