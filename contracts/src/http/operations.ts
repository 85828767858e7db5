import type { Operation } from './operation';
import { usageOperations } from './gateway/usage';
import { adminActionOperations } from './identity/admin-actions';
import { adminUsersOperations } from './identity/admin-users';
import { auditOperations } from './identity/audit';
import { dataExportOperations } from './identity/data-export';
import { deletionOperations } from './identity/deletion';
import { emailChangeOperations } from './identity/email-change';
import { jwksOperations } from './identity/jwks';
import { loginOperations } from './identity/login';
import { oauthAppOperations } from './identity/oauth-apps';
import { oauthClientOperations } from './identity/oauth-clients';
import { oauthInteractionOperations } from './identity/oauth-interactions';
import { passkeyOperations } from './identity/passkeys';
import { passwordOperations } from './identity/password';
import { profileOperations } from './identity/profile';
import { registrationOperations } from './identity/registration';
import { sessionsOperations } from './identity/sessions';
import { twoFactorOperations } from './identity/two-factor';
import { verificationOperations } from './identity/verification';
import { waitlistOperations } from './identity/waitlist';
import { emailHealthOperations } from './notification/email-health';
import { emailMetricsOperations } from './notification/email-metrics';
import { suppressionOperations } from './notification/suppressions';
import { webhookOperations } from './notification/webhooks';
import { eventWebhookOperations } from './notification/event-webhooks';
import { lifecycleAdminOperations } from './lifecycle/lifecycle-admin';

/**
 * Every public operation, in the order the docs list them. A new feature file adds its list here;
 * a new operation of an existing feature is one more entry in that feature's list.
 */
export const httpOperations: readonly Operation[] = [
  ...waitlistOperations,
  ...registrationOperations,
  ...verificationOperations,
  ...loginOperations,
  ...twoFactorOperations,
  ...passkeyOperations,
  ...passwordOperations,
  ...emailChangeOperations,
  ...deletionOperations,
  ...dataExportOperations,
  ...jwksOperations,
  ...profileOperations,
  ...sessionsOperations,
  ...oauthInteractionOperations,
  ...oauthAppOperations,
  ...usageOperations,
  ...auditOperations,
  ...adminUsersOperations,
  ...adminActionOperations,
  ...oauthClientOperations,
  ...emailHealthOperations,
  ...emailMetricsOperations,
  ...suppressionOperations,
  ...webhookOperations,
  ...eventWebhookOperations,
  ...lifecycleAdminOperations,
];
