import { z } from 'zod';
import { UserId } from '../fields';

const Role = z.string().min(1);

export const RolesChangedV1 = z.object({
  userId: UserId,
  roles: z.array(Role).describe('Every role the account holds after the change.'),
  granted: z.array(Role).describe('Roles added by this change.'),
  revoked: z.array(Role).describe('Roles removed by this change.'),
});
export type RolesChangedV1 = z.output<typeof RolesChangedV1>;
