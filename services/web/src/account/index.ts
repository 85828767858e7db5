import type { Feature } from '@solar/chassis';
import { accountFormRoutes } from './account-forms.routes';
import { accountRoutes } from './account.routes';
import { activityRoutes } from './activity.routes';

export function accountFeature(): Feature {
  return {
    routes: (app) => {
      accountRoutes(app);
      accountFormRoutes(app);
      activityRoutes(app);
    },
  };
}
