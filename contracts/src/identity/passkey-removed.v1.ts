import { z } from 'zod';
import { UserId } from '../fields';
import { PasskeyId } from './passkey-added.v1';

export const PasskeyRemovedV1 = z.object({
  userId: UserId,
  passkeyId: PasskeyId,
});
export type PasskeyRemovedV1 = z.output<typeof PasskeyRemovedV1>;
