import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

export const AppAccessParams = z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

const AppAccess = z.object({
  clientId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()).describe('What the account consented to; the app is not asked again for these.'),
  grantedAt: IsoTime,
});
export const AppAccessList = z.object({ apps: z.array(AppAccess) });
export type AppAccessList = z.infer<typeof AppAccessList>;

export const oauthAppOperations = defineOperations([
  {
    operationId: 'listAppAccess',
    method: 'get',
    path: '/users/me/apps',
    service: 'identity',
    summary: 'The third-party apps the signed-in account has given access',
    tags: ['users'],
    security: 'bearer',
    responses: { 200: { description: 'Apps with access, most recent consent first.', body: AppAccessList } },
  },
  {
    operationId: 'revokeAppAccess',
    method: 'delete',
    path: '/users/me/apps/{clientId}',
    service: 'identity',
    summary: "Take an app's access back: its tokens stop working and it must ask again",
    tags: ['users'],
    security: 'bearer',
    params: AppAccessParams,
    responses: { 204: { description: 'The access is gone.' } },
    errors: ['not_found'],
  },
]);
