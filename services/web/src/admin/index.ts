import type { Feature } from '@solar/chassis';
import { adminEmailRoutes } from './email.routes';
import { adminJobsRoutes } from './jobs.routes';
import { adminUserRoutes } from './users.routes';
import { adminWebhookRoutes } from './webhooks.routes';
import { adminWaitlistRoutes } from './waitlist.routes';

/** The admin pages: accounts and their actions, the waitlist, lifecycle's jobs, email delivery, daily reports, webhooks. Admins only; the API checks the role again. */
export function adminFeature(): Feature {
  return {
    routes: (app) => {
      adminUserRoutes(app);
      adminWaitlistRoutes(app);
      adminJobsRoutes(app);
      adminEmailRoutes(app);
      adminWebhookRoutes(app);
    },
  };
}
